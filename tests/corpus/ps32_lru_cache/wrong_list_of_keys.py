# fails: lru_cache_tests_complexity
# Right answers, too slow: finds the least recent key by building a list of all keys
# (list(self.data)[0] is O(capacity); next(iter(self.data)) or popitem(last=False) is O(1)).
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key):
        if key not in self.data:
            return -1
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value):
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            del self.data[list(self.data.keys())[0]]
