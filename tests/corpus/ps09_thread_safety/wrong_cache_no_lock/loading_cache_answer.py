# No lock at all: every thread that finds the key missing calls the loader (a stampede).
class LoadingCache:
    def __init__(self, loader):
        self.loader = loader
        self.values = {}

    def get(self, key):
        if key not in self.values:
            self.values[key] = self.loader(key)
        return self.values[key]
