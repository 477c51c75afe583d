# The right answer for this part: this folder's mistake is in another answer cell.
from concurrent.futures import ProcessPoolExecutor


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(func, items, chunksize=chunksize)
        return list(results)
