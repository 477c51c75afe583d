# Compares the exact type with `in`: subclasses of a kind (KeyError for LookupError,
# FileNotFoundError for OSError) are not swallowed.
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
        if exc_type in self.kinds and issubclass(exc_type, Exception):
            self.error = exc
            return True
        return False
