# Waiters poll: a thread that finds the key being loaded loops back to the lock at once
# instead of sleeping until the load ends, keeping a core busy for as long as the load takes.
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
