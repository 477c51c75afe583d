# Never calls super().__init_subclass__: other bases' keywords are swallowed.
class Handler:
    registry = {}

    def __init_subclass__(cls, /, key=None, **kwargs):
        if key is None:
            return
        if not isinstance(key, str):
            raise TypeError("key must be a str")
        if key == "":
            raise ValueError("key must not be empty")
        if key in Handler.registry:
            raise DuplicateKeyError(
                f"key {key!r} is already registered to {Handler.registry[key].__name__}"
            )
        Handler.registry[key] = cls
