# A class on ExitStack: __enter__ cleans up on failure itself (Python will not call __exit__),
# and pop_all() hands the resources over to the manager once they are all entered.
class acquire_all:
    def __init__(self, factories):
        self.factories = factories
        self.stack = None

    def __enter__(self):
        with ExitStack() as stack:
            handles = []
            for make in self.factories:
                handles.append(stack.enter_context(make()))
            self.stack = stack.pop_all()
        return handles

    def __exit__(self, exc_type, exc, tb):
        stack, self.stack = self.stack, None
        return stack.__exit__(exc_type, exc, tb)
