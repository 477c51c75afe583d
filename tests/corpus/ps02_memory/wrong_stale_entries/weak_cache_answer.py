# Weak references that are never cleaned up: get works, but len and `in` count dead entries.
class WeakCache:
    def __init__(self, factory):
        self._factory = factory
        self._refs = {}

    def get(self, key):
        ref = self._refs.get(key)
        value = ref() if ref else None
        if value is None:
            value = self._factory(key)
            self._refs[key] = weakref.ref(value)
        return value

    def __len__(self):
        return len(self._refs)

    def __contains__(self, key):
        return key in self._refs
