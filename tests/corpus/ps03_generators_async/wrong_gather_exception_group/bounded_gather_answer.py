# asyncio.TaskGroup: a failure comes out wrapped in an ExceptionGroup.
async def bounded_gather(coros, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    gate = asyncio.Semaphore(limit)

    async def admitted(coro):
        async with gate:
            return await coro

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(admitted(coro)) for coro in coros]
    return [task.result() for task in tasks]
