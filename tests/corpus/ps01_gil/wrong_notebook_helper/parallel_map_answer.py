# Sends a helper defined in the notebook to the workers: it pickles as __main__._call_with,
# which a spawned worker cannot import, so every call breaks the pool. (With fork it would
# seem to work, on Linux before Python 3.14 only.)
from concurrent.futures import ProcessPoolExecutor


def _call_with(job):
    func, item = job
    return func(item)


def parallel_map(func, items, workers, chunksize):
    if workers < 1 or chunksize < 1:
        raise ValueError("workers and chunksize must be at least 1")
    jobs = [(func, item) for item in items]
    with ProcessPoolExecutor(max_workers=workers, mp_context=POOL_CONTEXT) as pool:
        return list(pool.map(_call_with, jobs, chunksize=chunksize))
