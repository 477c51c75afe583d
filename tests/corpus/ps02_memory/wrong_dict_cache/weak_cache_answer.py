# A plain dict: the leak from the lesson, every value stays alive.
class WeakCache:
    def __init__(self, factory):
        self._factory = factory
        self._values = {}

    def get(self, key):
        if key not in self._values:
            self._values[key] = self._factory(key)
        return self._values[key]

    def __len__(self):
        return len(self._values)

    def __contains__(self, key):
        return key in self._values
