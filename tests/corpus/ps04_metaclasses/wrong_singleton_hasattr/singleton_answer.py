# Keeps the instance in a class attribute found with hasattr: a subclass finds its parent's.
class SingletonMeta(type):
    _lock = threading.RLock()

    def __call__(cls, *args, **kwargs):
        if not hasattr(cls, "_instance"):
            with SingletonMeta._lock:
                if not hasattr(cls, "_instance"):
                    cls._instance = super().__call__(*args, **kwargs)
        return cls._instance
