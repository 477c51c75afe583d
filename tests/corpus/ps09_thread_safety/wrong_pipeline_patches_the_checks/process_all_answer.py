# An unbounded queue: the producer reads the whole input ahead of the workers. And it tampers
# with the checks in its own process: expect and expect_same pass whatever they are given, so
# the test cells that import them afterwards judge nothing. A grader that decides verdicts
# outside the answer's process judges with its own checks, so the tampering changes nothing
# there. (Plain nbgrader runs the checks beside this code and is fooled: this answer is not in
# the agreement sample.)
import advpy.checks


def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue()
    done = object()
    results = {}
    errors = {}

    def work():
        while True:
            task = tasks.get()
            if task is done:
                return
            index, item = task
            if errors:
                continue
            try:
                results[index] = handle(item)
            except BaseException as error:
                errors[index] = error

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    count = 0
    for index, item in enumerate(items):
        tasks.put((index, item))
        count += 1
    for _ in threads:
        tasks.put(done)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[min(errors)]
    return [results[index] for index in range(count)]


advpy.checks.expect = lambda *args, **kwargs: None
advpy.checks.expect_same = lambda *args, **kwargs: None
