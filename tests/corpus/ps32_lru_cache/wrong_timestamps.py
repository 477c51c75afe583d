# fails: lru_cache_tests_complexity
# Right answers, too slow: stamps each key with a counter and evicts the key with the smallest
# stamp, found by scanning them all (O(capacity) per eviction).
class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.values = {}
        self.stamps = {}
        self.clock = 0

    def get(self, key):
        if key not in self.values:
            return -1
        self.clock += 1
        self.stamps[key] = self.clock
        return self.values[key]

    def put(self, key, value):
        self.clock += 1
        if key not in self.values and len(self.values) >= self.capacity:
            oldest = min(self.stamps, key=self.stamps.get)
            del self.values[oldest]
            del self.stamps[oldest]
        self.values[key] = value
        self.stamps[key] = self.clock
