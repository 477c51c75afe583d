# Written differently: one lock taken on every call, values kept in a dict per instance, columns found by walking annotations-free class dicts in an explicit loop.
_lock = threading.RLock()
_made = {}


class SingletonMeta(type):
    def __call__(cls, *args, **kwargs):
        with _lock:
            try:
                return _made[cls]
            except KeyError:
                instance = super().__call__(*args, **kwargs)
                _made[cls] = instance
                return instance
