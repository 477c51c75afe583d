# A correct answer with extra bookkeeping (hit and miss counters, an optional parameter).
from collections import OrderedDict

_MISSING = object()


class LRUCache:
    def __init__(self, capacity, on_evict=None):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._data = OrderedDict()
        self._capacity = capacity
        self._on_evict = on_evict
        self.hits = self.misses = 0

    def get(self, key):
        value = self._data.get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
            return -1
        self.hits += 1
        self._data.move_to_end(key)
        return value

    def put(self, key, value):
        if key in self._data:
            self._data.move_to_end(key)
        self._data[key] = value
        if len(self._data) > self._capacity:
            old_key, old_value = self._data.popitem(last=False)
            if self._on_evict is not None:
                self._on_evict(old_key, old_value)
