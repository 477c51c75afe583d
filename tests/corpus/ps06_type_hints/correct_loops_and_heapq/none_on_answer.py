# A correct answer written differently: the error caught by name, and checked with isinstance.
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

Params = ParamSpec("Params")
Result = TypeVar("Result")


def none_on(
    *errors: type[Exception],
) -> Callable[[Callable[Params, Result]], Callable[Params, Result | None]]:
    def decorator(func: Callable[Params, Result]) -> Callable[Params, Result | None]:
        @wraps(func)
        def call(*args: Params.args, **kwargs: Params.kwargs) -> Result | None:
            try:
                result = func(*args, **kwargs)
            except Exception as error:
                if isinstance(error, errors):
                    return None
                raise
            return result

        return call

    return decorator
