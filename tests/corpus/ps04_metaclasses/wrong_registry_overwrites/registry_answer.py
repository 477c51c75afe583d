# A taken key is silently given to the newer class.
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
        Handler.registry[key] = cls
