# No threads at all: handles every item in the caller's thread, one after another.
def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue(maxsize)
    results = []
    for item in items:
        tasks.put(item)
        results.append(handle(tasks.get()))
    return results
