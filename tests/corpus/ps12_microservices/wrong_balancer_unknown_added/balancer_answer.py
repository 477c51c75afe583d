# Adds an unknown instance to the rotation instead of raising KeyError.
class Balancer:
    """Round-robin over instances in order, skipping the ones marked unhealthy."""

    def __init__(self, instances):
        self.names = list(instances)
        if len(set(self.names)) != len(self.names):
            raise ValueError("an instance appears twice")
        self.down = set()
        self.last = -1

    def mark(self, instance, healthy):
        if instance not in self.names:
            self.names.append(instance)
        if healthy:
            self.down.discard(instance)
        else:
            self.down.add(instance)

    def pick(self):
        for step in range(1, len(self.names) + 1):
            index = (self.last + step) % len(self.names)
            if self.names[index] not in self.down:
                self.last = index
                return self.names[index]
        raise NoHealthyInstance("no healthy instance")
