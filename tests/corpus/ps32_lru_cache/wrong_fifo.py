# fails: lru_cache_tests_examples, lru_cache_tests_random
# First in, first out: neither get nor an update changes the order, so it evicts the oldest insert.
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key):
        return self.data.get(key, -1)

    def put(self, key, value):
        self.data[key] = value
        if len(self.data) > self.capacity:
            self.data.popitem(last=False)
