# Checks that each kind is a class, not that it is an exception class: Capture(int) is
# accepted.
class Capture:
    def __init__(self, *kinds):
        if not kinds or not all(isinstance(k, type) for k in kinds):
            raise TypeError("classes only")
        self.kinds = kinds
        self.error = None

    def __enter__(self):
        self.error = None
        return self

    def __exit__(self, exc_type, exc, tb):
        if (
            exc_type is not None
            and issubclass(exc_type, Exception)
            and issubclass(exc_type, self.kinds)
        ):
            self.error = exc
            return True
        return False
