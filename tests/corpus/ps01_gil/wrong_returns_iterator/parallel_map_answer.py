# Returns map's lazy iterator: not a list, and errors surface only while iterating.
from concurrent.futures import ProcessPoolExecutor


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return pool.map(func, items, chunksize=chunksize)
