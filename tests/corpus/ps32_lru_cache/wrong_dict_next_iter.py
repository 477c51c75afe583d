# fails: lru_cache_tests_complexity
# Right answers, too slow when keys keep being evicted: a plain dict in recency order, the
# least recent key found with next(iter(...)). Deleted entries stay at the front of the dict's
# entry table until it is resized, and next(iter(...)) walks past every one of them.
class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = {}

    def get(self, key):
        if key not in self.data:
            return -1
        value = self.data.pop(key)
        self.data[key] = value
        return value

    def put(self, key, value):
        self.data.pop(key, None)
        self.data[key] = value
        if len(self.data) > self.capacity:
            del self.data[next(iter(self.data))]
