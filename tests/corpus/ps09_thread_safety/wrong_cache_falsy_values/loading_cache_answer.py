# Asks "is there a value?" with a truthiness test: None, 0, "" and [] are loaded again.
class LoadingCache:
    def __init__(self, loader):
        self._loader = loader
        self._lock = threading.Lock()
        self._values = {}
        self._loading = {}

    def get(self, key):
        while True:
            with self._lock:
                if self._values.get(key):
                    return self._values[key]
                done = self._loading.get(key)
                if done is None:
                    done = self._loading[key] = threading.Event()
                    break
            done.wait()
        try:
            value = self._loader(key)
        except BaseException:
            with self._lock:
                del self._loading[key]
            done.set()
            raise
        with self._lock:
            self._values[key] = value
            del self._loading[key]
        done.set()
        return value
