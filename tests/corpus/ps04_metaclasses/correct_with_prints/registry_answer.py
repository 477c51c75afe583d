# Right answers that also print what they do and keep extra bookkeeping.
class Handler:
    registry = {}
    refused = []

    def __init_subclass__(cls, /, key=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if key is None:
            print("abstract:", cls.__name__)
            return
        if not isinstance(key, str):
            raise TypeError("key must be a str")
        if key == "":
            raise ValueError("key must not be empty")
        if key in Handler.registry:
            Handler.refused.append(cls.__name__)
            raise DuplicateKeyError(
                f"key {key!r} is already registered to {Handler.registry[key].__name__}"
            )
        print("registered", key, "->", cls.__name__)
        Handler.registry[key] = cls
