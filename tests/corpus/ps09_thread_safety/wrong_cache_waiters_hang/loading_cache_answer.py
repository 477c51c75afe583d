# Forgets the waiters when a load fails: the event is never set, they wait forever.
class LoadingCache:
    def __init__(self, loader):
        self._loader = loader
        self._lock = threading.Lock()
        self._values = {}
        self._loading = {}

    def get(self, key):
        while True:
            with self._lock:
                if key in self._values:
                    return self._values[key]
                done = self._loading.get(key)
                if done is None:
                    done = self._loading[key] = threading.Event()
                    break
            done.wait()
        value = self._loader(key)
        with self._lock:
            self._values[key] = value
            del self._loading[key]
        done.set()
        return value
