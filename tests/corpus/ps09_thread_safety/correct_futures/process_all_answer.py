# Correct: task_done/join: the caller waits for the queue to be worked off, then stops the
# workers with one sentinel each.
class _Stop:
    pass


def process_all(items, handle, workers, maxsize):
    tasks = queue.Queue(maxsize)
    out = {}
    problems = []

    def worker():
        while True:
            task = tasks.get()
            try:
                if isinstance(task, _Stop):
                    return
                i, item = task
                try:
                    out[i] = handle(item)
                except Exception as e:
                    problems.append((i, e))
            finally:
                tasks.task_done()

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
    for t in pool:
        t.start()
    n = 0
    for item in items:
        tasks.put((n, item))
        n += 1
    tasks.join()
    for _ in pool:
        tasks.put(_Stop())
    for t in pool:
        t.join()
    if problems:
        problems.sort(key=lambda p: p[0])
        raise problems[0][1]
    return [out[i] for i in range(n)]
