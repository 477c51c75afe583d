# fails: token_bucket_tests_examples, token_bucket_tests_edge_cases, token_bucket_tests_random
# Accepts a clock but reads time.time() anyway, so a test's clock is ignored.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = refill_rate
        self.tokens = capacity
        self.last = time.time()
        self.lock = threading.Lock()

    def allow_request(self):
        with self.lock:
            now = time.time()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
