# A Future per key, but a failed one is kept: every later get raises the old error.
from concurrent.futures import Future


class LoadingCache:
    def __init__(self, loader):
        self._loader = loader
        self._futures = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            future = self._futures.get(key)
            mine = future is None
            if mine:
                future = self._futures[key] = Future()
        if mine:
            try:
                future.set_result(self._loader(key))
            except BaseException as error:
                future.set_exception(error)
        return future.result()
