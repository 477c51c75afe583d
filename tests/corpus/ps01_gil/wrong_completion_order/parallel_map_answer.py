# One future per item, collected as they finish: results in completion order, and no chunks.
from concurrent.futures import ProcessPoolExecutor, as_completed


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(func, item) for item in items]
        return [future.result() for future in as_completed(futures)]
