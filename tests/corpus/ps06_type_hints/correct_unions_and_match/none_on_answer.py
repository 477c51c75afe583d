# A correct answer written differently: typing.Optional spellings, functools.update_wrapper.
# ruff: noqa: UP006, UP045
import functools
import typing

P = typing.ParamSpec("P")
R = typing.TypeVar("R")


def none_on(
    *errors: typing.Type[Exception],
) -> typing.Callable[[typing.Callable[P, R]], typing.Callable[P, typing.Optional[R]]]:
    caught = tuple(errors)

    def decorate(func: typing.Callable[P, R]) -> typing.Callable[P, typing.Optional[R]]:
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> typing.Optional[R]:
            try:
                return func(*args, **kwargs)
            except caught:
                return None

        return functools.update_wrapper(wrapper, func)

    return decorate
