# A callable class, as in the answer that uses a class, and a name `type` of the notebook's
# that hides the built-in, so that a test comparing `type(value) is type(lambda: None)` in
# the notebook's names sees None on both sides. The test's own code always uses the real
# built-ins where advpy grade runs it. (Plain nbgrader runs that test among the notebook's
# names and is fooled: this answer is not in the agreement sample.)
class _Accumulator:
    def __init__(self, start):
        self.total = start

    def __call__(self, amount=None):
        if amount is not None:
            self.total += amount
        return self.total


def make_accumulator(start=0):
    return _Accumulator(start)


def type(value):  # noqa: A001 - the point of this answer
    return None
