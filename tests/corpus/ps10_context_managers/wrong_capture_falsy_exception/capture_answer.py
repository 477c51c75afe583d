# Tests the exception object by truth (`if exc and ...`): an exception whose __bool__ says
# False is let through.
class Capture:
    def __init__(self, *kinds):
        if not kinds or not all(
            isinstance(k, type) and issubclass(k, BaseException) for k in kinds
        ):
            raise TypeError("exception classes only")
        self.kinds = kinds
        self.error = None

    def __enter__(self):
        self.error = None
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc and isinstance(exc, Exception) and isinstance(exc, self.kinds):
            self.error = exc
            return True
        return False
