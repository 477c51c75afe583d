# functools.lru_cache around the factory: shares values, but keeps every one alive.
import functools


class WeakCache:
    def __init__(self, factory):
        self._cached = functools.lru_cache(maxsize=None)(factory)
        self._keys = set()

    def get(self, key):
        self._keys.add(key)
        return self._cached(key)

    def __len__(self):
        return len(self._keys)

    def __contains__(self, key):
        return key in self._keys
