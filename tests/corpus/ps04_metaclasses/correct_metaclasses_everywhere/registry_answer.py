# Every part with a metaclass: registry by metaclass keywords, per-class locks, fields collected by a metaclass.
class _RegistryMeta(type):
    def __new__(mcls, name, bases, namespace, key=None, **rest):
        return super().__new__(mcls, name, bases, namespace, **rest)

    def __init__(cls, name, bases, namespace, key=None, **rest):
        super().__init__(name, bases, namespace, **rest)
        if key is None:
            return
        if type(key) is not str and not isinstance(key, str):
            raise TypeError("key must be a str")
        if len(key) == 0:
            raise ValueError("key must not be empty")
        registry = Handler.registry
        if key in registry:
            owner = registry[key].__name__
            raise DuplicateKeyError("key " + repr(key) + " is already registered to " + owner)
        registry[key] = cls


class Handler(metaclass=_RegistryMeta):
    registry = {}
