# Uses `if not key` for 'no key': the empty string is silently treated as abstract.
class Handler:
    registry = {}

    def __init_subclass__(cls, /, key=None, **kwargs):
        super().__init_subclass__(**kwargs)
        if not key:
            return
        if not isinstance(key, str):
            raise TypeError("key must be a str")
        if key in Handler.registry:
            raise DuplicateKeyError(
                f"key {key!r} is already registered to {Handler.registry[key].__name__}"
            )
        Handler.registry[key] = cls
