# Stores the value on the Field, which every instance of the model shares.
class Field:
    SQL_TYPES = {int: "INTEGER", float: "REAL", str: "TEXT"}

    def __init__(self, kind, *, nullable=False):
        self.kind = kind
        self.nullable = nullable
        self.value = None

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return self.value

    def __set__(self, instance, value):
        if value is None and self.nullable:
            self.value = None
            return
        if type(value) is self.kind:
            self.value = value
            return
        if self.kind is float and type(value) is int:
            self.value = float(value)
            return
        raise TypeError(
            f"{type(instance).__name__}.{self.name} must be {self.kind.__name__}, not {type(value).__name__}"
        )

    def column_sql(self):
        null = "" if self.nullable else " NOT NULL"
        return f'"{self.name}" {self.SQL_TYPES[self.kind]}{null}'


class Model:
    _columns = ()

    def __init_subclass__(cls, **options):
        super().__init_subclass__(**options)
        own = [name for name, value in cls.__dict__.items() if isinstance(value, Field)]
        cls._columns = tuple([n for n in cls._columns if n not in own] + own)

    def __init__(self, **values):
        for key in values:
            if key not in self._columns:
                raise TypeError(f"{type(self).__name__} has no field {key!r}")
        for name in self._columns:
            setattr(self, name, values.get(name))

    def row(self):
        return tuple(getattr(self, name) for name in self._columns)

    @classmethod
    def create_table_sql(cls):
        columns = ", ".join(getattr(cls, name).column_sql() for name in cls._columns)
        return f'CREATE TABLE "{cls.__name__.lower()}" ({columns})'
