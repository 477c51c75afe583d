class CircuitBreaker:
    """The state lives in one string; failures are counted only while closed."""

    def __init__(self, failure_threshold, reset_timeout):
        if isinstance(failure_threshold, bool) or not isinstance(failure_threshold, int):
            raise ValueError("failure_threshold: an int")
        if failure_threshold <= 0:
            raise ValueError("failure_threshold: at least 1")
        if isinstance(reset_timeout, bool) or not isinstance(reset_timeout, (int, float)):
            raise ValueError("reset_timeout: a number")
        if math.isnan(reset_timeout) or reset_timeout <= 0:
            raise ValueError("reset_timeout: greater than 0")
        self.threshold, self.timeout = failure_threshold, reset_timeout
        self.state, self.in_a_row, self.since = "closed", 0, 0

    def _open(self, now):
        self.state, self.since = "open", now

    def allow(self, now):
        if self.state == "open" and not (now - self.since < self.timeout):
            self.state = "half_open"
            return True
        return self.state == "closed"

    def record_success(self, now):
        if self.state != "open":
            self.state, self.in_a_row = "closed", 0

    def record_failure(self, now):
        if self.state == "half_open":
            self._open(now)
        elif self.state == "closed":
            self.in_a_row += 1
            if self.in_a_row == self.threshold:
                self._open(now)
                self.in_a_row = 0
