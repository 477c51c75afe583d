# A correct answer, with an experiment left in its cell: a pool opened at the top level and
# never shut down. Its worker is not one that parallel_map started, so it costs nothing.
from concurrent.futures import ProcessPoolExecutor

experiment = ProcessPoolExecutor(max_workers=1, mp_context=POOL_CONTEXT)
print("left open:", experiment.submit(pool_probes.square, 7).result())


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    with ProcessPoolExecutor(max_workers=workers, mp_context=POOL_CONTEXT) as pool:
        return list(pool.map(func, items, chunksize=chunksize))
