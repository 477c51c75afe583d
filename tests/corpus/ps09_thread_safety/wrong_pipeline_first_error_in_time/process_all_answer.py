# Raises the first error to happen in time, not the one of the earliest item.
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
            if errors:
                continue
            try:
                results[index] = handle(item)
            except BaseException as error:
                errors.setdefault(0, error)

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
