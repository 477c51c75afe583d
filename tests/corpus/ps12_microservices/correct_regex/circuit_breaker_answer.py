class CircuitBreaker:
    """One method per state and event, chosen by name."""

    def __init__(self, failure_threshold, reset_timeout):
        ok_threshold = type(failure_threshold) is int and failure_threshold >= 1
        ok_timeout = type(reset_timeout) in (int, float) and reset_timeout > 0
        if not (ok_threshold and ok_timeout):
            raise ValueError("bad settings")
        self._limit = failure_threshold
        self._timeout = reset_timeout
        self._state = "closed"
        self._count = 0
        self._opened_at = None

    @property
    def state(self):
        return self._state

    def allow(self, now):
        return getattr(self, "_allow_" + self._state)(now)

    def _allow_closed(self, now):
        return True

    def _allow_open(self, now):
        if now - self._opened_at >= self._timeout:
            self._state = "half_open"
            return True
        return False

    def _allow_half_open(self, now):
        return False

    def record_success(self, now):
        if self._state != "open":
            self._state = "closed"
            self._count = 0
        return None

    def record_failure(self, now):
        if self._state == "closed":
            self._count += 1
            if self._count < self._limit:
                return None
        elif self._state == "open":
            return None
        self._state = "open"
        self._opened_at = now
        return None
