# None as the sentinel: an item that is None stops a worker, and the item is never handled.
def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue(maxsize)
    results = {}
    errors = {}

    def work():
        while True:
            index, item = tasks.get()
            if item is None:
                return
            try:
                results[index] = handle(item)
            except Exception as error:
                errors[index] = error

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    count = 0
    for index, item in enumerate(items):
        tasks.put((index, item))
        count += 1
    for _ in threads:
        tasks.put((None, None))
    for thread in threads:
        thread.join()
    if errors:
        raise errors[min(errors)]
    return [results[index] for index in range(count)]
