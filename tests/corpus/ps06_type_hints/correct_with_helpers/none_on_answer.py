# A correct answer with extra code: the wrapper counts what it swallowed.
import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
swallowed: list[str] = []


def none_on(*errors: type[Exception]) -> Callable[[Callable[P, R]], Callable[P, R | None]]:
    def decorate(func: Callable[P, R]) -> Callable[P, R | None]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | None:
            try:
                return func(*args, **kwargs)
            except errors as error:
                swallowed.append(type(error).__name__)
                return None

        return wrapper

    return decorate
