# A correct answer that starts its workers with spawn, as on macOS and Windows: it works
# because the functions it runs live in a module the workers can import.
import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def parallel_map(func, items, workers, chunksize):
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if chunksize < 1:
        raise ValueError("chunksize must be at least 1")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return [result for result in pool.map(func, items, chunksize=chunksize)]
