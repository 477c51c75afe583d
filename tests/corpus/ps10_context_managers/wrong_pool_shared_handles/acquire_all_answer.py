# Keeps the handles in a class attribute: every acquire_all shares one list.
class acquire_all:
    handles = []

    def __init__(self, factories):
        self.factories = factories

    def __enter__(self):
        with ExitStack() as stack:
            for make in self.factories:
                self.handles.append(stack.enter_context(make()))
            self.stack = stack.pop_all()
        return self.handles

    def __exit__(self, exc_type, exc, tb):
        result = self.stack.__exit__(exc_type, exc, tb)
        self.handles.clear()
        return result
