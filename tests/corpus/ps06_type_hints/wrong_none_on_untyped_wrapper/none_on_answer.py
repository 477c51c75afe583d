# Typed with Callable[..., Any]: mypy accepts it, but the decorated function's parameters and
# return type are lost, so no call of it is checked.
import functools
from collections.abc import Callable
from typing import Any


def none_on(*errors: type[Exception]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except errors:
                return None

        return wrapper

    return decorate
