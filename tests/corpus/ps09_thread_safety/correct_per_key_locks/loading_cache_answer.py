# Correct: one lock per key, created under a small lock that guards the dict of locks.
class LoadingCache:
    def __init__(self, loader):
        self.loader = loader
        self.values = {}
        self.key_locks = {}
        self.guard = threading.Lock()

    def get(self, key):
        with self.guard:
            if key in self.values:
                return self.values[key]
            key_lock = self.key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self.guard:
                if key in self.values:
                    return self.values[key]
            value = self.loader(key)  # raises: nothing stored, the next waiter tries again
            with self.guard:
                self.values[key] = value
            return value
