# A correct answer written differently: counts in exact fractions, guarded by a Condition.
from fractions import Fraction


class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self.capacity = Fraction(capacity)
        self.rate = Fraction(refill_rate)
        self.clock = clock
        self.tokens = self.capacity
        self.last = Fraction(clock())
        self.cond = threading.Condition()

    def allow_request(self):
        with self.cond:
            now = Fraction(self.clock())
            self.tokens = min(self.capacity, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens < 1:
                return False
            self.tokens -= 1
            return True
