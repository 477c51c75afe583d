# Every part with a metaclass: registry by metaclass keywords, per-class locks, fields collected by a metaclass.
_SQL = {int: "INTEGER", float: "REAL", str: "TEXT"}


class Field:
    def __init__(self, kind, *, nullable=False):
        self.kind, self.nullable = kind, nullable

    def __set_name__(self, owner, name):
        self.name = name
        self.slot = "_value_" + name

    def __get__(self, instance, owner=None):
        return self if instance is None else getattr(instance, self.slot)

    def __set__(self, instance, value):
        kind = type(value)
        if value is None:
            ok = self.nullable
        elif kind is bool:
            ok = False
        elif self.kind is float and kind in (int, float):
            value, ok = float(value), True
        else:
            ok = kind is self.kind
        if not ok:
            raise TypeError(
                ".".join([type(instance).__name__, self.name])
                + " must be "
                + self.kind.__name__
                + ", not "
                + kind.__name__
            )
        setattr(instance, self.slot, value)


class _ModelMeta(type):
    def __new__(mcls, name, bases, namespace, **kwargs):
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        columns = {}
        for base in reversed(cls.__mro__):
            for key, value in vars(base).items():
                if isinstance(value, Field):
                    columns[key] = value
        cls.columns = columns
        return cls


class Model(metaclass=_ModelMeta):
    def __init__(self, **values):
        extra = [key for key in values if key not in type(self).columns]
        if extra:
            raise TypeError(f"{type(self).__name__} has no field {extra[0]!r}")
        for name in type(self).columns:
            setattr(self, name, values.get(name, None))

    def row(self):
        return tuple(getattr(self, name) for name in type(self).columns)

    @classmethod
    def create_table_sql(cls):
        parts = []
        for name, field in cls.columns.items():
            part = '"' + name + '" ' + _SQL[field.kind]
            if not field.nullable:
                part += " NOT NULL"
            parts.append(part)
        return 'CREATE TABLE "' + cls.__name__.lower() + '" (' + ", ".join(parts) + ")"
