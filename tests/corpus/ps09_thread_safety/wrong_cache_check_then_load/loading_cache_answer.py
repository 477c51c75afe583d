# The check and the store each under the lock, the load between them unguarded: threads that
# all see the key missing all load it.
class LoadingCache:
    def __init__(self, loader):
        self.loader = loader
        self.values = {}
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.values:
                return self.values[key]
        value = self.loader(key)
        with self.lock:
            self.values[key] = value
        return value
