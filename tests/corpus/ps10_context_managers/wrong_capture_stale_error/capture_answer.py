# Never resets `error` when a block starts: a Capture used again still shows the exception
# of an earlier block.
class Capture:
    def __init__(self, *kinds):
        if not kinds or not all(
            isinstance(k, type) and issubclass(k, BaseException) for k in kinds
        ):
            raise TypeError("exception classes only")
        self.kinds = kinds
        self.error = None

    def __enter__(self):
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
