# Catches every Exception, not just the classes given: bugs such as a TypeError vanish into None.
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def none_on(*errors: type[Exception]) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return func(*args, **kwargs)
            except Exception:
                return None

        return wrapper

    return decorate
