# Threads instead of processes: right results, but under the GIL, in the notebook's process.
from concurrent.futures import ThreadPoolExecutor


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(func, items))
