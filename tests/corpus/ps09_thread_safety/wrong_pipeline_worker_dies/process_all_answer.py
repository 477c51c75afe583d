# No try/except in the worker: an exception ends that worker's thread, its item has no
# result, and if every worker dies the producer waits forever on a full queue.
def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue(maxsize)
    done = object()
    results = {}
    errors = {}

    def work():
        while True:
            task = tasks.get()
            if task is done:
                return
            index, item = task
            results[index] = handle(item)

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
