"""The boundary between the judge and the answering process (advpy.grade.wire, .judge, .worker):
only exact built-in values cross by value, malformed messages are refused, the CPU time of the
answering side is read from outside (children included), and neither process may report the
other's cells."""

from __future__ import annotations

import math
import os
import time
from pathlib import Path
from typing import Any

import pytest

from advpy.grade import wire
from advpy.grade.judge import Judge
from advpy.grade.verdicts import KERNEL_VERDICTS, judged_outside
from advpy.grade.worker import _merge


class Refs:
    """Hands out reference tags and remembers what they stand for."""

    def __init__(self) -> None:
        self.objects: list[Any] = []

    def tag(self, value: Any) -> dict[str, Any]:
        self.objects.append(value)
        return {"L": len(self.objects) - 1}


def round_trip(value: Any) -> tuple[Any, Refs]:
    refs = Refs()
    payload = wire.dumps_json({"value": wire.encode_value(value, refs.tag)})
    data = wire.loads_json(payload)["value"]
    decoded = wire.decode_value(data, lambda n, tag: ("ref", refs.objects[n]), _no_judge)
    return decoded, refs


def _no_judge(number: int) -> Any:
    raise wire.WireError("no such object")


def test_plain_values_cross_as_themselves_with_their_exact_types() -> None:
    value = {
        "ints": [0, -1, 10**40, True, None],
        "floats": (1.0, -0.0, math.inf),
        (1, "key"): {frozenset({1, 2}), "x"},
        "bytes": b"\x00\xff",
        "text": "caf\u00e9 \ud800",
        "empty": ([], (), {}, set()),
    }
    decoded, refs = round_trip(value)
    assert decoded == value and not refs.objects
    assert type(decoded["floats"]) is tuple and math.copysign(1, decoded["floats"][1]) == -1
    assert type(decoded["ints"][3]) is bool
    assert type(decoded["empty"][3]) is set
    nan, _ = round_trip(math.nan)
    assert math.isnan(nan)


class Sneaky(list):
    def __eq__(self, other: object) -> bool:
        return True


def test_anything_not_exactly_built_in_crosses_as_a_reference() -> None:
    sneaky = Sneaky([1])
    decoded, refs = round_trip([sneaky, (i for i in ()), 5])
    assert decoded[0] == ("ref", sneaky) and decoded[2] == 5
    assert decoded[1][0] == "ref" and len(refs.objects) == 2


def test_a_cycle_or_a_very_deep_value_crosses_as_a_reference() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    decoded, _ = round_trip(loop)
    assert decoded[0] == 1 and decoded[1] == ("ref", loop)
    deep: list[Any] = []
    for _ in range(1000):
        deep = [deep]
    decoded, refs = round_trip(deep)
    assert len(refs.objects) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"x": 1},
        {"l": 1},
        {"l": [], "t": []},
        {"b": "not base64!"},
        {"J": 3},
        {"L": -1},
        {"L": "0"},
        {"s": [{"l": []}]},
        {"d": [[1]]},
        {"B": "eval"},
        {"B": "open"},
    ],
)
def test_a_malformed_value_is_refused(data: Any) -> None:
    with pytest.raises(wire.WireError):
        wire.decode_value(data, lambda n, tag: None, _no_judge)


def test_a_message_that_is_not_a_json_object_is_refused() -> None:
    for payload in (b"[1]", b"\xff", b"{" * 100_000):
        with pytest.raises(wire.WireError):
            wire.loads_json(payload)


def test_a_built_in_class_crosses_by_name() -> None:
    assert wire.decode_value({"B": "ValueError"}, lambda n, t: None, _no_judge) is ValueError


def _spin(seconds: float) -> None:
    start = time.process_time()
    while time.process_time() - start < seconds:
        pass


def test_the_answer_side_cpu_counts_the_process_and_the_children_it_reaped() -> None:
    go_read, go_write = os.pipe()
    done_read, done_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the answering side: works, then has a child work and reaps it
        os.setsid()  # as the worker's answering process does
        os.write(done_write, b"r")
        os.read(go_read, 1)
        _spin(0.2)
        child = os.fork()
        if child == 0:
            _spin(0.3)
            os._exit(0)
        os.waitpid(child, 0)
        os.write(done_write, b"x")
        time.sleep(30)
        os._exit(0)
    try:
        judge = object.__new__(Judge)
        judge.answer_pid = pid
        judge.sandboxed = False
        os.read(done_read, 1)  # it leads its own session now
        before = judge.answer_cpu()
        os.write(go_write, b"x")
        os.read(done_read, 1)
        spent = judge.answer_cpu() - before
        assert 0.45 <= spent <= 1.5, spent
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def test_neither_process_may_report_the_other_s_cells() -> None:
    answer = [
        {"start": 0},
        {"cell": 0, "outputs": []},
        {"start": 1},
        {"cell": 1, "outputs": [], "check_failure": False},  # a forged test cell
        {"start": 2},
        {"cell": 2, "outputs": []},
        {"end": True},
    ]
    judge = [
        {"start": 1},
        {"cell": 1, "outputs": [{"output_type": "error"}]},
        {"cell": 2, "outputs": [{"output_type": "error"}]},  # not a test cell
        {"end": True},
    ]
    merged = _merge(answer, judge, frozenset({1}))
    cells = {r["cell"]: r for r in merged if "cell" in r}
    assert cells[1]["outputs"] == [{"output_type": "error"}]
    assert cells[2]["outputs"] == []
    assert [r.get("cell", r.get("start")) for r in merged if "end" not in r] == [0, 0, 1, 1, 2, 2]
    assert merged[-1] == {"end": True}


def test_every_graded_set_is_judged_outside_the_answer_s_process() -> None:
    """The README says so: a set that must go back to the kernel is listed with its reason."""
    source = Path(__file__).resolve().parents[1] / "grading" / "source"
    sets = sorted(folder.name for folder in source.iterdir() if folder.name.startswith("ps"))
    assert len(sets) >= 31
    assert [name for name in sets if not judged_outside(name)] == sorted(KERNEL_VERDICTS)
    assert all(reason.strip() for reason in KERNEL_VERDICTS.values())
    assert not KERNEL_VERDICTS


def test_a_standard_library_value_a_test_passes_crosses_by_value() -> None:
    import datetime
    import decimal
    import fractions
    import io

    from advpy.grade import answering
    from advpy.grade.judge import _Pickler

    class NoJudge:
        instructor_classes: dict[type, str] = {}

        def export(self, obj: object) -> int:
            raise AssertionError(f"{obj!r} would cross as a reference")

    values = [
        fractions.Fraction(1, 3),
        decimal.Decimal("0.10"),
        datetime.date(2026, 11, 30),
        datetime.timedelta(seconds=1.5),
        datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    ]
    stream = io.BytesIO()
    _Pickler(stream, NoJudge()).dump({"args": values})  # type: ignore[arg-type]
    back = answering._Unpickler(stream.getvalue(), None).load()  # type: ignore[arg-type]
    assert back["args"] == values
    assert [type(v) for v in back["args"]] == [type(v) for v in values]
