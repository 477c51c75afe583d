# Tests the looked-up value for truth instead of `is None`: a live value that is false in a
# boolean context (an empty container, say) is made again on every get.
class WeakCache:
    def __init__(self, factory):
        self._factory = factory
        self._values = weakref.WeakValueDictionary()

    def get(self, key):
        value = self._values.get(key)
        if not value:
            value = self._factory(key)
            self._values[key] = value
        return value

    def __len__(self):
        return len(self._values)

    def __contains__(self, key):
        return key in self._values
