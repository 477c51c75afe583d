# fails: token_bucket_tests_threads
# The usual sketch with no lock, as in the unlocked answer, and it tampers with the checks in
# its own process: expect and expect_same always pass, so the thread check's miscounted Trues
# go unnoticed. A grader that decides verdicts outside the answer's process judges the counts
# the threads' answers give with its own checks, so the tampering changes nothing. (Plain
# nbgrader runs the checks beside this code and is fooled: this answer is not in the agreement
# sample.)
import advpy.checks


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


advpy.checks.expect = lambda *args, **kwargs: None
advpy.checks.expect_same = lambda *args, **kwargs: None
