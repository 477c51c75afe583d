# Stores the new class first and raises afterwards: the refused class replaced the first.
class Handler:
    registry = {}

    def __init_subclass__(cls, /, key=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if key is None:
            return
        if not isinstance(key, str):
            raise TypeError("key must be a str")
        if key == "":
            raise ValueError("key must not be empty")
        previous = Handler.registry.get(key)
        Handler.registry[key] = cls
        if previous is not None:
            raise DuplicateKeyError(f"key {key!r} is already registered to {previous.__name__}")
