# fails: token_bucket_tests_threads
# Locks the refill but checks and takes the token after releasing the lock.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = refill_rate
        self.clock = clock
        self.tokens = capacity
        self.last = clock()
        self.lock = threading.Lock()

    def _refill(self):
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now

    def allow_request(self):
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
