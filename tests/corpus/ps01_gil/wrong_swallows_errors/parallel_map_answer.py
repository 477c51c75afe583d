# "Defensive": a failing item makes it return an empty list instead of raising.
from concurrent.futures import ProcessPoolExecutor


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        try:
            return list(pool.map(func, items, chunksize=chunksize))
        except Exception:
            return []
