# fails: token_bucket_tests_threads
# The usual sketch with the clock passed in, but no lock: two threads can take the same token.
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = capacity
        self.tokens = capacity
        self.refill_rate = refill_rate
        self.clock = clock
        self.last_refill = clock()

    def allow_request(self):
        now = self.clock()
        self.tokens += (now - self.last_refill) * self.refill_rate
        self.tokens = min(self.tokens, self.capacity)
        self.last_refill = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False
