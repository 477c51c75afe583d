# Forgets to return what the stack's __exit__ returned: a resource that suppresses the
# exception cannot, because this __exit__ returns None.
class acquire_all:
    def __init__(self, factories):
        self.factories = factories

    def __enter__(self):
        with ExitStack() as stack:
            handles = [stack.enter_context(make()) for make in self.factories]
            self.stack = stack.pop_all()
        return handles

    def __exit__(self, exc_type, exc, tb):
        self.stack.__exit__(exc_type, exc, tb)
