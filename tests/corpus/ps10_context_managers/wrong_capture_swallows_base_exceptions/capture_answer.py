# Swallows whatever matches the kinds: Capture(BaseException) swallows KeyboardInterrupt and
# SystemExit, so Ctrl-C no longer stops the program.
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
        if exc_type is not None and issubclass(exc_type, self.kinds):
            self.error = exc
            return True
        return False
