class Balancer:
    """An index into the names; the health of each name in a dict."""

    def __init__(self, instances):
        self._names = tuple(instances)
        self._up = dict.fromkeys(self._names, True)
        if len(self._up) != len(self._names):
            raise ValueError("each instance once, please")
        self._next = 0

    def mark(self, instance, healthy):
        if instance not in self._up:
            raise KeyError(instance)
        self._up[instance] = healthy is True

    def pick(self):
        size = len(self._names)
        candidates = ((self._next + offset) % size for offset in range(size))
        index = next((i for i in candidates if self._up[self._names[i]]), None)
        if index is None:
            raise NoHealthyInstance()
        self._next = index + 1
        return self._names[index]
