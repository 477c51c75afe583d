# A correct answer written differently: an RLock, a refill helper, and the new count stored
# only when a token is taken (a refused request leaves the state as it was).
class TokenBucket:
    def __init__(self, capacity, refill_rate, clock=time.monotonic):
        self._capacity = float(capacity)
        self._rate = float(refill_rate)
        self._clock = clock
        self._lock = threading.RLock()
        self._tokens = float(capacity)
        self._stamp = clock()

    def _available(self, now):
        with self._lock:
            return min(self._capacity, self._tokens + (now - self._stamp) * self._rate)

    def allow_request(self):
        with self._lock:
            now = self._clock()
            available = self._available(now)
            if available < 1:
                return False
            self._tokens = available - 1
            self._stamp = now
            return True
