# fails: token_bucket_tests_threads
# Locks the check and the withdrawal, but refills outside the lock: a refill that read the
# count before another thread's withdrawal writes the old count back, undoing it.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = refill_rate
        self.clock = clock
        self.tokens = capacity
        self.last = clock()
        self.lock = threading.Lock()

    def allow_request(self):
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
        self.last = now
        with self.lock:
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
