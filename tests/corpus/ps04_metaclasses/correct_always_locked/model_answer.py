# Written differently: one lock taken on every call, values kept in a dict per instance, columns found by walking annotations-free class dicts in an explicit loop.
class Field:
    TYPES = {int: "INTEGER", float: "REAL", str: "TEXT"}

    def __init__(self, kind, nullable=False):
        self.kind = kind
        self.nullable = nullable

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj._values[self.name]

    def __set__(self, obj, value):
        if value is None and self.nullable:
            pass
        elif type(value) is self.kind:
            pass
        elif self.kind is float and type(value) is int:
            value = float(value)
        else:
            raise TypeError(
                f"{obj.__class__.__name__}.{self.name} must be "
                f"{self.kind.__name__}, not {value.__class__.__name__}"
            )
        obj.__dict__.setdefault("_values", {})[self.name] = value


class Model:
    @classmethod
    def _fields(cls):
        found = []
        for klass in reversed(cls.__mro__):
            for name, value in klass.__dict__.items():
                if isinstance(value, Field) and name not in [n for n, _ in found]:
                    found.append((name, value))
        return found

    def __init__(self, **values):
        names = [name for name, _ in self._fields()]
        for key in values:
            if key not in names:
                raise TypeError(f"{type(self).__name__} has no field '{key}'")
        for name in names:
            setattr(self, name, values.get(name))

    def row(self):
        return tuple(getattr(self, name) for name, _ in self._fields())

    @classmethod
    def create_table_sql(cls):
        cols = []
        for name, field in cls._fields():
            text = f'"{name}" {Field.TYPES[field.kind]}'
            cols.append(text if field.nullable else text + " NOT NULL")
        return f'CREATE TABLE "{cls.__name__.lower()}" (' + ", ".join(cols) + ")"
