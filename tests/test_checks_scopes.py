"""The prediction checks of ``advpy.checks``: the form of each prediction is checked visibly,
the answers by value, and a failure names the rule but never the expected answer."""

from __future__ import annotations

import pytest

from advpy.checks import expect_prediction_format, expect_predictions

ANSWERS = {"A": "UnboundLocalError", "B": "[2, 2, 2]"}
RULES = {"A": "an assignment makes a name local", "B": "closures read variables late"}


def failure(call, *args) -> str:
    with pytest.raises(AssertionError) as info:
        call(*args)
    return str(info.value)


def test_right_predictions_pass() -> None:
    expect_prediction_format(dict(ANSWERS), ["A", "B"])
    expect_predictions(dict(ANSWERS), ANSWERS, RULES)
    expect_predictions({**ANSWERS, "extra": "ignored"}, ANSWERS, RULES)


@pytest.mark.parametrize(
    ("predictions", "words"),
    [
        ([("A", "x")], "must be a dict"),
        ({"B": "[2, 2, 2]"}, "item A has no prediction"),
        ({"A": 3, "B": "x"}, "an int, not a str"),
        ({"A": "", "B": "x"}, "empty string"),
        ({"A": "NameError\n", "B": "x"}, "spaces or a newline"),
        ({"A": "NameError: name 'x' is not defined", "B": "x"}, "only its name"),
        ({"A": "Traceback (most recent call last)", "B": "x"}, "only its name"),
    ],
)
def test_badly_formed_predictions_are_refused_with_a_reason(predictions, words: str) -> None:
    assert words in failure(expect_prediction_format, predictions, ["A", "B"])


def test_a_message_after_a_colon_that_is_not_an_exception_is_accepted() -> None:
    expect_prediction_format({"A": "total: 3", "B": "x"}, ["A", "B"])


def test_wrong_predictions_name_the_rule_and_never_the_answer() -> None:
    message = failure(expect_predictions, {"A": "NameError", "B": "[0, 1, 2]"}, ANSWERS, RULES)
    assert "2 of 2" in message
    assert RULES["A"] in message and RULES["B"] in message
    assert "UnboundLocalError" not in message and "[2, 2, 2]" not in message


def test_only_the_wrong_items_are_listed() -> None:
    message = failure(expect_predictions, {"A": "UnboundLocalError", "B": "x"}, ANSWERS, RULES)
    assert RULES["B"] in message and RULES["A"] not in message


def test_a_str_subclass_that_claims_equality_does_not_pass() -> None:
    class Anything(str):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = str.__hash__

    cheat = {"A": Anything("x"), "B": Anything("y")}
    assert "not a str" in failure(expect_predictions, cheat, ANSWERS, RULES)


def test_a_dict_subclass_is_refused() -> None:
    class Predictions(dict):
        pass

    assert "must be a dict" in failure(expect_predictions, Predictions(ANSWERS), ANSWERS, RULES)
