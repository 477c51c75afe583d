# fails: lru_cache_tests_edge_cases, lru_cache_tests_random
# Keeps the entries on the class, so every cache shares one dict.
from collections import OrderedDict


class LRUCache:
    data = OrderedDict()

    def __init__(self, capacity):
        self.capacity = capacity

    def get(self, key):
        if key not in self.data:
            return -1
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value):
        self.data[key] = value
        self.data.move_to_end(key)
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)
