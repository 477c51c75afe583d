# Plain asyncio.gather, so every coroutine runs at once and the limit is ignored, and it
# tampers with the checks in its own process: the checks' expect and expect_same never fail.
# A grader that decides verdicts outside the answer's process judges what the test's run of
# the coroutines saw with checks of its own, so the tampering changes nothing. (Plain nbgrader
# runs the checks beside this code and is fooled: this answer is not in the agreement sample.)
import advpy.checks


async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return list(await asyncio.gather(*coros))


advpy.checks.expect = lambda condition, message: None
advpy.checks.expect_same = lambda actual, expected, message, *, show=False: None
