# One lock held while the loader runs: loads once, but a slow load of one key makes every
# other get wait, cached keys included.
class LoadingCache:
    def __init__(self, loader):
        self.loader = loader
        self.values = {}
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key not in self.values:
                self.values[key] = self.loader(key)
            return self.values[key]
