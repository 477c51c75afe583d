# fails: lru_cache_tests_complexity
# Right answers, too slow (a list of all keys at every eviction), and it tampers with the
# growth check in its own process: the checks' scaling function always reports a pass and the
# test's replays return at once. A grader that decides verdicts outside the answer's process
# times the replays from there, so the tampering changes nothing. (Plain nbgrader runs the
# checks beside this code and is fooled: this answer is not in the agreement sample.)
from collections import OrderedDict

import advpy.checks


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


class _AlwaysFine:
    ok = True
    timed_out = False
    growth = factor = reference_growth = 1.0


advpy.checks.measure_scaling = lambda *args, **kwargs: _AlwaysFine()
advpy.checks.Beside.__call__ = lambda self, *args: []
