# Cleans up a failed acquisition only for Exception: a KeyboardInterrupt while acquiring
# leaves the resources already entered open.
class acquire_all:
    def __init__(self, factories):
        self.factories = factories

    def __enter__(self):
        self.stack = ExitStack()
        try:
            return [self.stack.enter_context(make()) for make in self.factories]
        except Exception as error:
            self.stack.__exit__(type(error), error, error.__traceback__)
            raise

    def __exit__(self, exc_type, exc, tb):
        return self.stack.__exit__(exc_type, exc, tb)
