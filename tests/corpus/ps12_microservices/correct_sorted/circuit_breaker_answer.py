class CircuitBreaker:
    """Keeps the time of the last opening and a count; the state is a plain attribute."""

    def __init__(self, failure_threshold, reset_timeout):
        if not (type(failure_threshold) is int and failure_threshold > 0):
            raise ValueError("failure_threshold")
        if type(reset_timeout) is bool or not isinstance(reset_timeout, (int, float)):
            raise ValueError("reset_timeout")
        if reset_timeout != reset_timeout or reset_timeout <= 0:
            raise ValueError("reset_timeout")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.state = "closed"
        self.count = 0
        self.opened_at = float("-inf")

    def allow(self, now):
        if self.state == "closed":
            return True
        if self.state == "half_open":
            return False
        waited = now - self.opened_at
        if waited < self.reset_timeout:
            return False
        self.state = "half_open"
        return True

    def record_success(self, now):
        if self.state == "open":
            return
        self.count = 0
        self.state = "closed"

    def record_failure(self, now):
        if self.state == "open":
            return
        self.count = self.count + 1 if self.state == "closed" else self.failure_threshold
        if self.count >= self.failure_threshold:
            self.state, self.opened_at, self.count = "open", now, 0
