"""A small declarative ORM on SQLite: fields are descriptors, a metaclass collects them.

A model is written the way SQLAlchemy and Django models are::

    class Book(Model):
        id = Integer(primary_key=True)
        title = Text()
        year = Integer(nullable=True)

- :class:`Field` and its subclasses are **descriptors**: Python calls their ``__set_name__`` when
  the class is created (so each field learns its attribute name) and their ``__set__`` on every
  assignment to the attribute of an instance (so each field checks the type of what is stored).
- :class:`ModelMeta` is the metaclass: when a ``Model`` subclass is created it collects the
  fields in the order they were written (its parents' first) and the table's name.
- :class:`Database` turns those into SQL on a real SQLite database (the standard library's
  ``sqlite3``): ``CREATE TABLE``, ``INSERT`` and ``SELECT``, with ``?`` placeholders for every
  value (never values pasted into the SQL text).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, TypeVar

__all__ = ["Field", "Integer", "Real", "Text", "ModelMeta", "Model", "Database", "quote"]

M = TypeVar("M", bound="Model")


def quote(name: str) -> str:
    """``name`` as an SQL identifier in double quotes (a doubled quote inside), so that names
    such as ``order`` or ``group``, which SQL reserves, still work."""
    return '"' + name.replace('"', '""') + '"'


class Field:
    """One typed column. Subclasses say which Python type is stored and which SQL type holds it."""

    python_type: ClassVar[type] = object
    sql_type: ClassVar[str] = ""

    def __init__(self, *, primary_key: bool = False, nullable: bool = False) -> None:
        self.primary_key = primary_key
        self.nullable = nullable or primary_key  # SQLite numbers a NULL primary key itself
        self.name = ""  # set by __set_name__ when the model class is created
        self.owner = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        self.owner = owner.__name__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self  # Book.title is the field itself
        return instance.__dict__[self.name]

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.name] = self.check(value)

    def check(self, value: Any) -> Any:
        """``value`` if this column may hold it; otherwise a ``TypeError`` that says why."""
        if value is None and self.nullable:
            return None
        if type(value) is not self.python_type:  # exact: True is an int, but not a number here
            raise TypeError(
                f"{self.owner}.{self.name} must be {self.python_type.__name__}, "
                f"not {type(value).__name__}"
            )
        return value

    def column_sql(self) -> str:
        """This column's definition inside ``CREATE TABLE``."""
        parts = [quote(self.name), self.sql_type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        elif not self.nullable:
            parts.append("NOT NULL")
        return " ".join(parts)


class Integer(Field):
    python_type = int
    sql_type = "INTEGER"


class Real(Field):
    python_type = float
    sql_type = "REAL"


class Text(Field):
    python_type = str
    sql_type = "TEXT"


class ModelMeta(type):
    """Collects a model's fields when its class is created."""

    __fields__: dict[str, Field]  # set on each model class by __new__ below
    __tablename__: str

    def __new__(
        mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> ModelMeta:
        cls = super().__new__(mcls, name, bases, namespace, **kwargs)
        fields: dict[str, Field] = {}
        for base in reversed(cls.__mro__[1:]):  # parents' fields first
            fields.update(getattr(base, "__fields__", {}))
        # The class body's namespace keeps the order the attributes were written in.
        fields.update({key: value for key, value in namespace.items() if isinstance(value, Field)})
        cls.__fields__ = fields
        cls.__tablename__ = namespace.get("__tablename__", name.lower())
        return cls


class Model(metaclass=ModelMeta):
    """Base class of every model: ``Book(title="Dune", year=1965)``; a field not given is
    ``None`` (refused unless the field is nullable)."""

    __fields__: ClassVar[dict[str, Field]] = {}
    __tablename__: ClassVar[str] = ""

    def __init__(self, **values: Any) -> None:
        unknown = set(values) - set(self.__fields__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        for name in self.__fields__:
            setattr(self, name, values.get(name))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__fields__)
        return f"{type(self).__name__}({shown})"

    @classmethod
    def create_table_sql(cls) -> str:
        """The ``CREATE TABLE`` statement for this model."""
        columns = ", ".join(field.column_sql() for field in cls.__fields__.values())
        return f"CREATE TABLE {quote(cls.__tablename__)} ({columns})"


class Database:
    """A SQLite database that stores and loads model instances."""

    def __init__(self, path: str | Path = ":memory:") -> None:
        self.connection = sqlite3.connect(path)
        self.statements: list[str] = []  # every SQL statement sent, for the lesson to print

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        self.statements.append(sql)
        return self.connection.execute(sql, parameters)

    def create(self, model: type[Model]) -> None:
        """Create the model's table."""
        self.execute(model.create_table_sql())
        self.connection.commit()

    def insert(self, *instances: Model) -> None:
        """Insert each instance as a row; a primary key left at ``None`` gets SQLite's number."""
        for instance in instances:
            fields = type(instance).__fields__
            names = ", ".join(quote(name) for name in fields)
            marks = ", ".join("?" for _ in fields)
            table = quote(type(instance).__tablename__)
            values = tuple(getattr(instance, name) for name in fields)
            cursor = self.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
            for name, field in fields.items():
                if field.primary_key and getattr(instance, name) is None:
                    setattr(instance, name, cursor.lastrowid)
        self.connection.commit()

    def select(self, model: type[M], where: str = "", *parameters: Any) -> Iterator[M]:
        """Rows of the model's table as instances, checked again on the way in; ``where`` is an
        SQL condition with ``?`` placeholders for ``parameters``."""
        names = ", ".join(quote(name) for name in model.__fields__)
        sql = f"SELECT {names} FROM {quote(model.__tablename__)}"
        if where:
            sql += f" WHERE {where}"
        for row in self.execute(sql, parameters):
            yield model(**dict(zip(model.__fields__, row, strict=True)))

    def close(self) -> None:
        self.connection.close()
