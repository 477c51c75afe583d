# Never shuts its pool down: the worker processes outlive the call.
from concurrent.futures import ProcessPoolExecutor


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    pool = ProcessPoolExecutor(max_workers=workers)
    return list(pool.map(func, items, chunksize=chunksize))
