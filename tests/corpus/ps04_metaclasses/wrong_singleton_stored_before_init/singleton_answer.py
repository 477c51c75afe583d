# Stores the new object before __init__ runs: when __init__ raises, a half-built instance is kept.
class SingletonMeta(type):
    _instances = {}
    _lock = threading.RLock()

    def __call__(cls, *args, **kwargs):
        if cls not in SingletonMeta._instances:
            with SingletonMeta._lock:
                if cls not in SingletonMeta._instances:
                    instance = cls.__new__(cls)
                    SingletonMeta._instances[cls] = instance
                    instance.__init__(*args, **kwargs)
        return SingletonMeta._instances[cls]
