# Waits for the queue to be worked off with join(), but never stops the daemon workers: they
# stay blocked on get() after process_all has returned.
def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue(maxsize)
    results, errors = {}, {}

    def work():
        while True:
            index, item = tasks.get()
            try:
                if not errors:
                    results[index] = handle(item)
            except BaseException as error:
                errors[index] = error
            finally:
                tasks.task_done()

    for _ in range(workers):
        threading.Thread(target=work, daemon=True).start()
    count = 0
    for index, item in enumerate(items):
        tasks.put((index, item))
        count += 1
    tasks.join()
    if errors:
        raise errors[min(errors)]
    return [results[index] for index in range(count)]
