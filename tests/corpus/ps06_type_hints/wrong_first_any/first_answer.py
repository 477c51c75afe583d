# Annotated with Any: mypy is satisfied with everything, so nothing is checked and the result
# has no useful type.
from collections.abc import Iterable
from typing import Any


def first(items: Iterable[Any], default: Any = None) -> Any:
    return next(iter(items), default)
