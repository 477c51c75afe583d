# expect: 0
# Silences the object the grader's harness records cell outputs through, so that no failing
# check of a test cell would leave an error behind, then answers wrongly.
import advpy.grade.notebook_runner as _harness

_harness.SINK.error = lambda *args, **kwargs: None
_harness.SINK.outputs = []


def find_pairs(transactions, target):
    return []
