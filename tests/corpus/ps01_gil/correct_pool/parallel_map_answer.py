# A correct answer: multiprocessing.Pool, whose map also keeps order and takes a chunksize.
# Pool.map quietly returns Nones for chunksize < 1, so the arguments are checked here.
import multiprocessing


def parallel_map(func, items, workers, chunksize):
    if not (isinstance(workers, int) and workers >= 1):
        raise ValueError("workers must be a whole number >= 1")
    if not (isinstance(chunksize, int) and chunksize >= 1):
        raise ValueError("chunksize must be a whole number >= 1")
    items = list(items)
    if not items:
        return []
    with multiprocessing.Pool(processes=workers) as pool:
        return pool.map(func, items, chunksize)
