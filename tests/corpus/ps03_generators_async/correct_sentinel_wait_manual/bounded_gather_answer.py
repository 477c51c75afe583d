# Correct, written differently: iter() with a sentinel, asyncio.wait(FIRST_COMPLETED) refilling the running set, and a hand-made timeout with create_task and cancel.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be positive")
    waiting = list(enumerate(coros))
    waiting.reverse()
    results = [None] * len(waiting)
    running = {}
    while waiting or running:
        while waiting and len(running) < limit:
            index, coro = waiting.pop()
            running[asyncio.ensure_future(coro)] = index
        done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            results[running.pop(task)] = task.result()
    return results
