# Correct: a Future per key. Waiters share the loader's result or its exception; a failed
# future is dropped so that the next get loads again.
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
                with self._lock:
                    del self._futures[key]
                future.set_exception(error)
        return future.result()
