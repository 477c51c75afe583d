# fails: token_bucket_tests_examples, token_bucket_tests_edge_cases, token_bucket_tests_random
# Starts with an empty bucket instead of a full one.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = refill_rate
        self.clock = clock
        self.tokens = 0
        self.last = clock()
        self.lock = threading.Lock()

    def allow_request(self):
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
