# Correct: one Condition; keys being loaded sit in a set, waiters sleep on the condition.
class LoadingCache:
    def __init__(self, loader):
        self.loader = loader
        self.cache = {}
        self.in_progress = set()
        self.changed = threading.Condition()

    def get(self, key):
        with self.changed:
            while key in self.in_progress:
                self.changed.wait()
            if key in self.cache:
                return self.cache[key]
            self.in_progress.add(key)
        try:
            value = self.loader(key)
            with self.changed:
                self.cache[key] = value
            return value
        finally:
            with self.changed:
                self.in_progress.discard(key)
                self.changed.notify_all()
