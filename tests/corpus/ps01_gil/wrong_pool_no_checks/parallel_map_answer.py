# multiprocessing.Pool without checking the arguments: a chunksize below 1 quietly gives Nones.
import multiprocessing


def parallel_map(func, items, workers, chunksize):
    with multiprocessing.Pool(processes=workers) as pool:
        return pool.map(func, items, chunksize)
