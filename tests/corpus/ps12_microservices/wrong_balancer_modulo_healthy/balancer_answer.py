# Rotates a counter over the list of healthy instances: when one goes down, the order jumps.
class Balancer:
    def __init__(self, instances):
        self.names = list(instances)
        if len(set(self.names)) != len(self.names):
            raise ValueError("an instance appears twice")
        self.down = set()
        self.count = 0

    def mark(self, instance, healthy):
        if instance not in self.names:
            raise KeyError(instance)
        if healthy:
            self.down.discard(instance)
        else:
            self.down.add(instance)

    def pick(self):
        healthy = [name for name in self.names if name not in self.down]
        if not healthy:
            raise NoHealthyInstance("no healthy instance")
        name = healthy[self.count % len(healthy)]
        self.count += 1
        return name
