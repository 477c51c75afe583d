# Releases in the order of acquisition: the first resource goes while later ones, which may
# depend on it, are still open.
import sys


class acquire_all:
    def __init__(self, factories):
        self.factories = factories

    def __enter__(self):
        self.stacks = []
        handles = []
        try:
            for make in self.factories:
                stack = ExitStack()
                handles.append(stack.enter_context(make()))
                self.stacks.append(stack)
        except BaseException:
            self.__exit__(*sys.exc_info())
            raise
        return handles

    def __exit__(self, exc_type, exc, tb):
        for stack in self.stacks:
            stack.__exit__(exc_type, exc, tb)
        return False
