# A correct answer written differently: weak references without callbacks; dead entries are
# pruned whenever the cache is asked how many entries are alive.
class WeakCache:
    def __init__(self, factory):
        self.factory = factory
        self.refs = {}

    def get(self, key):
        if key in self.refs:
            alive = self.refs[key]()
            if alive is not None:
                return alive
        made = self.factory(key)
        self.refs[key] = weakref.ref(made)
        return made

    def _prune(self):
        for key in [k for k, r in self.refs.items() if r() is None]:
            del self.refs[key]

    def __len__(self):
        self._prune()
        return len(self.refs)

    def __contains__(self, key):
        self._prune()
        return key in self.refs
