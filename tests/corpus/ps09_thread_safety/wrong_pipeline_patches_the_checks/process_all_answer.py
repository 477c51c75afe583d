# No threads at all: handles every item in the caller's thread, one after another, and it
# tampers with the checks in its own process: expect and expect_same pass whatever they are
# given, so the test cells that import them afterwards judge nothing. A grader that decides
# verdicts outside the answer's process judges with its own checks, so the tampering changes
# nothing there. (Plain nbgrader runs the checks beside this code and is fooled: this answer
# is not in the agreement sample.)
import advpy.checks


def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue(maxsize)
    results = []
    for item in items:
        tasks.put(item)
        results.append(handle(tasks.get()))
    return results


advpy.checks.expect = lambda *args, **kwargs: None
advpy.checks.expect_same = lambda *args, **kwargs: None
