# fails: token_bucket_tests_examples, token_bucket_tests_edge_cases, token_bucket_tests_random
# Counts the refill from when the bucket was created instead of from the last update, so
# the same seconds are paid out again at every request.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.rate = refill_rate
        self.clock = clock
        self.tokens = capacity
        self.created = clock()
        self.lock = threading.Lock()

    def allow_request(self):
        with self.lock:
            elapsed = self.clock() - self.created
            self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            return False
