# A correct answer written differently: the cache is itself an OrderedDict; pop and re-insert.
from collections import OrderedDict


class LRUCache(OrderedDict):
    def __init__(self, capacity):
        super().__init__()
        self.capacity = capacity

    def get(self, key):
        try:
            value = self.pop(key)
        except KeyError:
            return -1
        self[key] = value
        return value

    def put(self, key, value):
        self.pop(key, None)
        self[key] = value
        while len(self) > self.capacity:
            self.popitem(last=False)
