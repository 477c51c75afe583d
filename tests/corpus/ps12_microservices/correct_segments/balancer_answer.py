from collections import deque


class Balancer:
    """A deque turned by one at every instance looked at: its front is always the next one."""

    def __init__(self, instances):
        if len(set(instances)) < len(instances):
            raise ValueError("duplicate instance")
        self.ring = deque(instances)
        self.healthy = {name: True for name in instances}

    def mark(self, instance, healthy):
        if instance not in self.healthy:
            raise KeyError(instance)
        self.healthy[instance] = bool(healthy)

    def pick(self):
        for _ in range(len(self.ring)):
            name = self.ring[0]
            self.ring.rotate(-1)
            if self.healthy[name]:
                return name
        raise NoHealthyInstance("all instances are down")
