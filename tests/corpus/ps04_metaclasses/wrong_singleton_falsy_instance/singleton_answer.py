# Tests the stored instance for truth: a falsy instance is built again on every call.
class SingletonMeta(type):
    _instances = {}
    _lock = threading.RLock()

    def __call__(cls, *args, **kwargs):
        if not SingletonMeta._instances.get(cls):
            with SingletonMeta._lock:
                if not SingletonMeta._instances.get(cls):
                    SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]
