# No functools.wraps: the decorated function is called "wrapper" and has no __doc__ or
# __wrapped__.
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def none_on(*errors: type[Exception]) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return func(*args, **kwargs)
            except errors:
                return None

        return wrapper

    return decorate
