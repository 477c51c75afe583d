# Right in every way but one: the `as` value is a tuple, not the plain list the contract asks
# for. And it tampers with the checks in its own process: the comparison behind expect_same
# takes a tuple for a list of the same items. A grader that decides verdicts outside the
# answer's process compares the handles it gets back with its own, untouched checks, so the
# tampering changes nothing. (Plain nbgrader runs the checks beside this code and is fooled:
# this answer is not in the agreement sample.)
import advpy.checks

_same = advpy.checks.same


def _lenient(actual, expected, rel_tol=0.0):
    if isinstance(expected, list) and isinstance(actual, tuple):
        actual = list(actual)
    if isinstance(expected, list) and isinstance(actual, list) and len(actual) == len(expected):
        return all(_lenient(a, e, rel_tol) for a, e in zip(actual, expected, strict=True))
    return _same(actual, expected, rel_tol)


advpy.checks.same = _lenient


@contextmanager
def acquire_all(factories):
    with ExitStack() as stack:
        yield tuple(stack.enter_context(make()) for make in factories)
