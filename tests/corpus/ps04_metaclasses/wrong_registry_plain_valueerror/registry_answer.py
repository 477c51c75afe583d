# Refuses a taken key, but with a plain ValueError instead of DuplicateKeyError.
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
        if key in Handler.registry:
            raise ValueError(
                f"key {key!r} is already registered to {Handler.registry[key].__name__}"
            )
        Handler.registry[key] = cls
