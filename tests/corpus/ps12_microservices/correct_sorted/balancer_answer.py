class Balancer:
    """Remembers the name picked last, and looks for it again at every pick."""

    def __init__(self, instances):
        names = []
        for name in instances:
            if name in names:
                raise ValueError(f"{name} twice")
            names.append(name)
        self.names = names
        self.sick = []
        self.previous = None

    def mark(self, instance, healthy):
        if instance not in self.names:
            raise KeyError(instance)
        if not healthy and instance not in self.sick:
            self.sick.append(instance)
        if healthy and instance in self.sick:
            self.sick.remove(instance)

    def pick(self):
        start = 0 if self.previous is None else self.names.index(self.previous) + 1
        order = self.names[start:] + self.names[:start]
        for name in order:
            if name not in self.sick:
                self.previous = name
                return name
        raise NoHealthyInstance("none")
