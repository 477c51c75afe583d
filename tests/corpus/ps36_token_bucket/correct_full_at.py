# A correct answer written differently: remembers when the bucket will be full again
# (a "theoretical arrival time"), instead of counting tokens.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.refill_rate = refill_rate
        self.clock = clock
        self.full_at = clock()
        self.guard = threading.Lock()

    def allow_request(self):
        with self.guard:
            now = self.clock()
            missing = max(0.0, (self.full_at - now) * self.refill_rate)
            if self.capacity - missing >= 1:
                self.full_at = max(self.full_at, now) + 1 / self.refill_rate
                return True
            return False
