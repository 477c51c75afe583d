"""Lesson 06 (type hints and mypy) runs in fast and in full mode, and prints what its prose
promises: annotations stored and not checked, the same bytecode with and without them, the
errors mypy finds in each example (and only those), and checks at the boundary that refuse
what parsing alone accepts."""

from __future__ import annotations

import os
import re

import pytest
from test_notebooks import execute_lesson, markdown, printed, run_lesson

from advpy.lessons.type_hints.boundary import RefundModel, StrictRefundModel, is_refund, problems

NAME = "06_type_hints"


@pytest.fixture(scope="module")
def out() -> str:
    return printed(run_lesson(NAME))


@pytest.mark.slow
def test_annotations_are_stored_not_checked(out: str) -> None:
    assert "{'text': <class 'str'>, 'times': <class 'int'>, 'return': <class 'str'>}" in out
    assert "[1, 1, 1]" in out  # repeat([1], times=3) ran despite `text: str`
    assert "evaluated: list[dict[str, int]] <class 'types.GenericAlias'>" in out
    assert "strings:   list[dict[str, int]] <class 'str'>" in out
    assert "NameError: name 'Local' is not defined" in out


@pytest.mark.slow
def test_overhead_is_measured_for_defs_and_calls(out: str) -> None:
    rows = re.findall(
        r"^\s*([a-z ]+), +(evaluated|strings): def +(\d+) ns, call +([\d.]+) ns$", out, re.M
    )
    assert {(variant.strip(), mode) for variant, mode, _, _ in rows} == {
        (v, m)
        for v in ("no annotations", "simple annotations", "generic annotations")
        for m in ("evaluated", "strings")
    }
    assert all(float(call) > 0 for *_, call in rows)
    assert re.search(r"^generic annotations make a def \d+x slower;$", out, re.M)
    assert re.search(r"^calls: between [\d.]+x and [\d.]+x the plain function's time$", out, re.M)
    assert "same bytecode in the body: True" in out


@pytest.mark.slow
def test_mypy_finds_the_bugs_each_example_plants(out: str) -> None:
    shop = out.split("def find_price", 1)[1].split("mypy: 3 errors", 1)[0]
    for code in ("[return-value]", "[misc]", "[operator]"):
        assert code in shop
    # The unannotated function: silent by default, refused by --strict.
    untyped = out.split("def shipping(weight):")
    assert "mypy: no errors" in untyped[1] and "error:" not in untyped[1]
    assert "[no-untyped-def]" in untyped[2] and "mypy --strict: 3 errors" in untyped[2]
    assert "--disallow-untyped-defs" in out and "--check-untyped-defs" in out
    assert 'Revealed type is "int | None"' in out and 'Revealed type is "str | None"' in out
    assert 'incompatible type "Report"; expected "SupportsClose"' in out
    assert "isinstance(Door(), SupportsClose): True" in out
    assert 'Cannot assign to final name "MAX_ITEMS"' in out
    assert 'Missing key "total_cents" for TypedDict "Order"' in out
    assert 'Unsupported operand types for + ("bytes" and "str")' in out
    assert 'Argument 1 to "fetch" has incompatible type "str"' in out
    assert "fetch_loose" not in out.split('Argument 1 to "fetch"')[1].split("mypy --strict")[0]
    assert 'Revealed type is "def (user_id: int) -> str"' in out
    guards = out.split("from typing_extensions import TypeIs", 1)[1]
    assert 'Revealed type is "list[str]"' in guards and 'Revealed type is "int"' in guards


@pytest.mark.slow
def test_ci_section_parses_its_settings_and_times_mypy(out: str) -> None:
    assert "parsed: strict = True | overrides for 2" in out
    assert "rev: v2.4.0" in out and "additional_dependencies" in out
    assert re.search(r"^mypy --strict, empty cache: [\d.]+ s; warm cache: [\d.]+ s$", out, re.M)


@pytest.mark.slow
def test_boundary_checks_refuse_what_parsing_accepts(out: str) -> None:
    assert "is it a Refund? False" in out
    assert "def is_refund(value: object) -> TypeGuard[Refund]:" in out  # the guard is shown
    for problem in ("order_id: Input should be greater than 0", "reason: Input should be"):
        assert problem in out
    assert "skus: List should have at least 1 item" in out
    assert "coupon: Extra inputs are not permitted" in out
    assert "lax:    order_id=7 amount_cents=1 reason='late' skus=['SKU-042']" in out
    assert (
        "strict: ['order_id: Input should be a valid integer', "
        "'amount_cents: Input should be a valid integer']" in out
    )
    rows = dict(
        (name.strip(), (int(ok), int(total)))
        for name, ok, total in re.findall(
            r"^\s*(.+?): +[\d.]+ µs per payload, accepted (\d+)/(\d+)$", out, re.M
        )
    )
    assert set(rows) == {
        "json.loads only",
        "json.loads + is_refund",
        "pydantic (lax)",
        "pydantic (strict)",
    }
    loaded, total = rows.pop("json.loads only")
    assert loaded == total
    accepted = {ok for ok, _ in rows.values()}
    assert len(accepted) == 1 and accepted.pop() < total


def test_prose_states_the_version_facts_it_teaches() -> None:
    text = " ".join(markdown(NAME))
    for fact in ("PEP 649", "3.14", "PEP 695", "3.12", "TypeIs", "3.13", "typing_extensions"):
        assert fact in text, f"{NAME} no longer mentions {fact!r}"


@pytest.mark.slow
def test_lesson_runs_in_full_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """The full-size run (about 20-30 s on 2 shared cores) completes without an error."""
    monkeypatch.delenv("ADVPY_FAST", raising=False)
    assert "ADVPY_FAST" not in os.environ
    notebook = execute_lesson(NAME)
    full = printed(notebook)
    assert "Fast mode is on" not in full
    assert "same bytecode in the body: True" in full
    assert re.search(r"accepted \d+/10000$", full, re.M)


def test_the_lessons_guard_and_models_agree_on_what_a_refund_is() -> None:
    """The guard the lesson shows refuses what strict pydantic refuses, on values chosen to
    trip a hand-written check: a bool or a float for a count, a str where the list belongs, a
    non-str item, a reason in a list or in the wrong case, a key too many or too few."""
    good = {"order_id": 3, "amount_cents": 250, "reason": "damaged", "skus": ["A", "B"]}
    assert is_refund(good) and not problems(RefundModel, good)
    refused = [
        {**good, "order_id": True},
        {**good, "amount_cents": 0},
        {**good, "amount_cents": 2.5},
        {**good, "reason": ["late"]},
        {**good, "reason": "Late"},
        {**good, "skus": "A"},
        {**good, "skus": []},
        {**good, "skus": ["A", 2]},
        {**good, "coupon": "X"},
        {k: v for k, v in good.items() if k != "skus"},
        [("order_id", 3)],
        None,
    ]
    for value in refused:
        assert is_refund(value) is False, value
        assert problems(StrictRefundModel, value), value
