# fails: token_bucket_tests_edge_cases, token_bucket_tests_random
# Adds only whole tokens but moves the timestamp anyway: fractions of a token are lost.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = refill_rate
        self.clock = clock
        self.tokens = capacity
        self.last = clock()
        self.lock = threading.Lock()

    def allow_request(self):
        with self.lock:
            now = self.clock()
            self.tokens = min(self.capacity, self.tokens + int((now - self.last) * self.rate))
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
