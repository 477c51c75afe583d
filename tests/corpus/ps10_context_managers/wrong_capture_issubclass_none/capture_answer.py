# Calls issubclass(exc_type, ...) without checking for None first: a block that raises
# nothing ends with a TypeError from __exit__.
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
        if issubclass(exc_type, Exception) and issubclass(exc_type, self.kinds):
            self.error = exc
            return True
        return False
