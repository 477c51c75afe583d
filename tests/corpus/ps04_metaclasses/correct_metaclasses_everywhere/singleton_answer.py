# Every part with a metaclass: registry by metaclass keywords, per-class locks, fields collected by a metaclass.
class SingletonMeta(type):
    def __init__(cls, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cls._singleton_lock = threading.Lock()
        cls._singleton_box = []

    def __call__(cls, *args, **kwargs):
        box = cls.__dict__["_singleton_box"]
        if box:
            return box[0]
        with cls.__dict__["_singleton_lock"]:
            if not box:
                box.append(super().__call__(*args, **kwargs))
        return box[0]
