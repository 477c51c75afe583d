# Correct: a separate producer thread, a list of slots for the results, the first error by
# position kept under a lock.
def process_all(items, handle, workers, maxsize):
    STOP = object()
    jobs = queue.Queue(maxsize=maxsize)
    slots = []
    failures = []
    guard = threading.Lock()

    def produce():
        try:
            for position, item in enumerate(items):
                with guard:
                    slots.append(None)
                jobs.put((position, item))
        finally:
            for _ in range(workers):
                jobs.put(STOP)

    def consume():
        while (job := jobs.get()) is not STOP:
            position, item = job
            with guard:
                if failures:
                    continue
            try:
                result = handle(item)
            except Exception as error:
                with guard:
                    failures.append((position, error))
            else:
                with guard:
                    slots[position] = result

    threads = [threading.Thread(target=consume) for _ in range(workers)]
    threads.append(threading.Thread(target=produce))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise min(failures, key=lambda pair: pair[0])[1]
    return slots
