# fails: token_bucket_tests_examples, token_bucket_tests_edge_cases, token_bucket_tests_random
# Forgets the cap: a bucket left alone keeps filling past its capacity.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.rate = refill_rate
        self.clock = clock
        self.tokens = capacity
        self.last = clock()
        self.lock = threading.Lock()

    def allow_request(self):
        with self.lock:
            now = self.clock()
            self.tokens += (now - self.last) * self.rate
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
