# Enters everything in __enter__ with no cleanup there: when one acquisition fails, Python
# never calls __exit__, and the resources already open stay open. __exit__ also stops at the
# first release that raises.
class acquire_all:
    def __init__(self, factories):
        self.factories = factories
        self.entered = []

    def __enter__(self):
        handles = []
        for make in self.factories:
            resource = make()
            handles.append(resource.__enter__())
            self.entered.append(resource)
        return handles

    def __exit__(self, exc_type, exc, tb):
        for resource in reversed(self.entered):
            resource.__exit__(exc_type, exc, tb)
        return False
