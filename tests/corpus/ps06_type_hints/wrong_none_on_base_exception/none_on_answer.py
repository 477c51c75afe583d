# Accepts any BaseException class: none_on(KeyboardInterrupt) type-checks, and would turn
# Ctrl-C into a None result.
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def none_on(*errors: type[BaseException]) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return func(*args, **kwargs)
            except errors:
                return None

        return wrapper

    return decorate
