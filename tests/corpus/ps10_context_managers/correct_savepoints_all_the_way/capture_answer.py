# Validation through a helper; __exit__ as one boolean expression.
def _is_exception_class(kind):
    return isinstance(kind, type) and issubclass(kind, BaseException)


class Capture:
    def __init__(self, *kinds):
        if not kinds or not all(map(_is_exception_class, kinds)):
            raise TypeError("expected exception classes")
        self.kinds = kinds
        self.error = None

    def __enter__(self):
        self.error = None
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and issubclass(exc_type, self.kinds):
            if issubclass(exc_type, Exception):
                self.error = exc
                return True
        return False
