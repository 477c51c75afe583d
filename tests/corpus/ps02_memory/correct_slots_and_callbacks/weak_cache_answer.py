# A correct answer written differently: a dict of weak references whose callbacks remove
# their own entry (and only their own) when the value dies.
class WeakCache:
    def __init__(self, factory):
        self._factory = factory
        self._refs = {}

    def _forget(self, key, ref):
        if self._refs.get(key) is ref:
            del self._refs[key]

    def get(self, key):
        ref = self._refs.get(key)
        value = ref() if ref is not None else None
        if value is None:
            value = self._factory(key)
            self._refs[key] = weakref.ref(value, lambda r, key=key: self._forget(key, r))
        return value

    def __len__(self):
        return len(self._refs)

    def __contains__(self, key):
        return key in self._refs
