# Releases with stack.close(), which tells no resource about the exception: a resource that
# commits on success would commit after a failure.
class acquire_all:
    def __init__(self, factories):
        self.factories = factories

    def __enter__(self):
        self.stack = ExitStack()
        try:
            return [self.stack.enter_context(make()) for make in self.factories]
        except BaseException:
            self.stack.close()
            raise

    def __exit__(self, exc_type, exc, tb):
        self.stack.close()
        return False
