# Right answers that also print what they do and keep extra bookkeeping.
class SingletonMeta(type):
    _instances = {}
    _locks = {}
    _locks_lock = threading.Lock()

    def _lock_for(cls):  # a lock per class, made once
        with SingletonMeta._locks_lock:
            return SingletonMeta._locks.setdefault(cls, threading.Lock())

    def __call__(cls, *args, **kwargs):
        try:
            return SingletonMeta._instances[cls]
        except KeyError:
            pass
        with cls._lock_for():
            if cls not in SingletonMeta._instances:
                print("building the one", cls.__name__)
                SingletonMeta._instances[cls] = super().__call__(*args, **kwargs)
        return SingletonMeta._instances[cls]
