# Checks the exception object with isinstance instead of its type with issubclass.
class Capture:
    __slots__ = ("kinds", "error")

    def __init__(self, *kinds):
        if len(kinds) == 0 or not all(
            isinstance(k, type) and issubclass(k, BaseException) for k in kinds
        ):
            raise TypeError("Capture(*kinds) takes one or more exception classes")
        self.kinds = tuple(kinds)
        self.error = None

    def __enter__(self):
        self.error = None
        return self

    def __exit__(self, exc_type, exc, tb):
        swallow = isinstance(exc, Exception) and isinstance(exc, self.kinds)
        if swallow:
            self.error = exc
        return swallow
