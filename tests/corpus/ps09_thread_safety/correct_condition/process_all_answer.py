# Correct: results gathered as (index, result) pairs and sorted at the end; debugging prints
# left in.
def process_all(items, handle, workers, maxsize):
    print(f"process_all: {workers} workers, queue of {maxsize}")
    q = queue.Queue(maxsize=maxsize)
    end = object()
    pairs, failed = [], []

    def run():
        for index, item in iter(q.get, end):
            if failed:
                continue
            try:
                pairs.append((index, handle(item)))
            except Exception as exc:
                failed.append((index, exc))

    threads = []
    for k in range(workers):
        thread = threading.Thread(target=run, name=f"worker-{k}")
        thread.start()
        threads.append(thread)
    try:
        for pair in enumerate(items):
            q.put(pair)
    finally:
        for _ in threads:
            q.put(end)
        for thread in threads:
            thread.join()
    print("all workers stopped")
    if failed:
        raise min(failed, key=lambda f: f[0])[1]
    return [result for _, result in sorted(pairs, key=lambda p: p[0])]
