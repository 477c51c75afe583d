# Records every exception before deciding whether to swallow it: `error` is set even for the
# ones that propagate.
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
        self.error = exc
        return isinstance(exc, Exception) and isinstance(exc, self.kinds)
