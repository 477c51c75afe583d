# Keeps one object but runs __init__ on it at every call, with each call's arguments.
class SingletonMeta(type):
    _instances = {}
    _lock = threading.RLock()

    def __call__(cls, *args, **kwargs):
        with SingletonMeta._lock:
            if cls not in SingletonMeta._instances:
                SingletonMeta._instances[cls] = cls.__new__(cls)
            instance = SingletonMeta._instances[cls]
        instance.__init__(*args, **kwargs)
        return instance
