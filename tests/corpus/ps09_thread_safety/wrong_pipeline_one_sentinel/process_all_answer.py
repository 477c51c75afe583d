# One sentinel for all the workers: the first worker to see it stops, the others wait
# forever on an empty queue, and joining them never returns.
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
                errors[index] = error

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    count = 0
    for index, item in enumerate(items):
        tasks.put((index, item))
        count += 1
    tasks.put(done)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[min(errors)]
    return [results[index] for index in range(count)]
