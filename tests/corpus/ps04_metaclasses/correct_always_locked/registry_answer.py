# Written differently: one lock taken on every call, values kept in a dict per instance, columns found by walking annotations-free class dicts in an explicit loop.
class Handler:
    registry = {}

    def __init_subclass__(cls, key=None, **kw):
        super().__init_subclass__(**kw)
        if key is not None:
            if not isinstance(key, str):
                raise TypeError("key must be a str")
            if not key:
                raise ValueError("key must not be empty")
            try:
                existing = Handler.registry[key]
            except KeyError:
                Handler.registry[key] = cls
            else:
                raise DuplicateKeyError(
                    "key " + repr(key) + " is already registered to " + existing.__name__
                )
