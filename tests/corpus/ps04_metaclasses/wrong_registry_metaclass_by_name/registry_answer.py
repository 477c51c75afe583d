# Registers every class its metaclass makes, by class name: the base too, keyless ones too.
class _Meta(type):
    def __new__(mcls, name, bases, namespace, **kwargs):
        kwargs.pop("key", None)
        return super().__new__(mcls, name, bases, namespace, **kwargs)

    def __init__(cls, name, bases, namespace, **kwargs):
        super().__init__(name, bases, namespace)
        key = kwargs.get("key", name.lower())
        if key in cls.registry:
            raise DuplicateKeyError(
                f"key {key!r} is already registered to {cls.registry[key].__name__}"
            )
        cls.registry[key] = cls


class Handler(metaclass=_Meta):
    registry = {}
