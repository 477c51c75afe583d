# Checks only the range: True, 2.0 and NaN pass (and a string raises TypeError).
class CircuitBreaker:
    """Closed -> open -> half_open, as the contract says."""

    def __init__(self, failure_threshold, reset_timeout):
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        if reset_timeout <= 0:
            raise ValueError("reset_timeout must be greater than 0")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.state = "closed"
        self.failures = 0
        self.opened = None

    def allow(self, now):
        if self.state == "closed":
            return True
        if self.state == "open" and now - self.opened >= self.reset_timeout:
            self.state = "half_open"
            return True
        return False

    def record_success(self, now):
        if self.state in ("closed", "half_open"):
            self.state = "closed"
            self.failures = 0

    def record_failure(self, now):
        if self.state == "closed":
            self.failures += 1
            if self.failures >= self.failure_threshold:
                self.state = "open"
                self.opened = now
        elif self.state == "half_open":
            self.state = "open"
            self.opened = now
