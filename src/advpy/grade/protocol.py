"""What the grader and its worker say to each other across the sandbox, defined once.

The grader (:mod:`advpy.grade.executor`) and the worker inside the sandbox
(:mod:`advpy.grade.worker`) speak JSON lines: the worker announces itself with
:class:`WorkerReady`, then answers each :class:`RunRequest` with one :class:`RunReply`. Each
message turns itself into a line (:meth:`encode`) and back (:meth:`decode`); decoding checks
every field's type and raises :class:`ProtocolError` for anything else, since a reply comes from
a process that ran untrusted code.

This module runs inside the sandbox too: standard library only.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

_T = TypeVar("_T")


class NotebookStatus(enum.StrEnum):
    """How running (or trying to run) one notebook ended."""

    OK = "ok"  # every cell ran; its checks are scored
    MISSING = "missing"  # not submitted
    INVALID = "invalid"  # not a readable notebook
    TIMEOUT = "timeout"  # past its time limit (wall clock or CPU)
    DIED = "died"  # its process stopped before the end
    OUTPUT = "output"  # far too much output
    ERROR = "error"  # the grader could not run or score it


class ProtocolError(ValueError):
    """A message that is not what the protocol allows; the text says what is wrong."""


#: The kinds of output a notebook cell has (nbformat's), and the fields of each the grader reads.
_OUTPUT_FIELDS: dict[str, dict[str, type]] = {
    "stream": {"name": str, "text": str},
    "display_data": {"data": dict, "metadata": dict},
    "execute_result": {"data": dict, "metadata": dict},
    "error": {"ename": str, "evalue": str, "traceback": list},
}


def _field(data: dict[str, Any], key: str, kind: type[_T] | tuple[type, ...]) -> _T:
    value = data.get(key)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int to isinstance, but never a count, an index or a size here.
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise ProtocolError(f"{key!r} is {type(value).__name__}, not {names}")
    return value  # type: ignore[return-value]


def _optional_int(data: dict[str, Any], key: str) -> int | None:
    return None if data.get(key) is None else _field(data, key, int)


def _number(data: dict[str, Any], key: str) -> float:
    return float(_field(data, key, (int, float)))


def _strings(values: list[Any], what: str) -> tuple[str, ...]:
    if not all(isinstance(v, str) for v in values):
        raise ProtocolError(f"{what} holds something other than text")
    return tuple(values)


def _indexes(values: Any, what: str) -> tuple[int, ...]:
    if type(values) is not list or not all(type(v) is int and v >= 0 for v in values):
        raise ProtocolError(f"{what} is not a list of cell indexes")
    return tuple(values)


def _encode(data: dict[str, Any]) -> bytes:
    return (json.dumps(data) + "\n").encode()


def _decode(name: str, line: bytes | str, parse: Callable[[dict[str, Any]], _T]) -> _T:
    """``parse`` applied to the JSON object on ``line``; any failure is a
    :class:`ProtocolError` naming the message (``name``)."""
    try:
        data = json.loads(line)
        if not isinstance(data, dict):
            raise ProtocolError(f"a JSON {type(data).__name__}, not an object")
        return parse(data)
    except ProtocolError as error:
        raise ProtocolError(f"malformed {name}: {error}") from None
    except (ValueError, RecursionError) as error:  # not JSON, not UTF-8, or nested too deep
        raise ProtocolError(f"malformed {name}: not JSON ({type(error).__name__})") from None


def _check_output(output: Any) -> dict[str, Any]:
    """``output`` if it is a cell output in nbformat's shape (as far as the grader reads it)."""
    if not isinstance(output, dict):
        raise ProtocolError(f"an output is {type(output).__name__}, not an object")
    kind = output.get("output_type")
    fields = _OUTPUT_FIELDS.get(kind) if isinstance(kind, str) else None
    if fields is None:
        raise ProtocolError(f"unknown output type {kind!r}")
    for key, value_kind in fields.items():
        _field(output, key, value_kind)
    if kind == "error":
        _strings(output["traceback"], "a traceback")
    if kind == "execute_result":
        _optional_int(output, "execution_count")
    return output


@dataclass(frozen=True)
class CellRecord:
    """One code cell that ran: its index in the notebook, and its outputs. Its JSON form is the
    record :func:`advpy.grade.notebook_runner.run_cells` reports for the cell."""

    index: int
    execution_count: int | None
    outputs: tuple[dict[str, Any], ...]  # in nbformat's JSON shape
    truncated: bool = False  # some of its output was too long and was cut
    #: An instructor's cell whose error is a check's own failure, raised by the checks or the
    #: cell itself with no learner code on its way (see ``Sanctuary.raised_by_check``); False
    #: for an error raised while learner code ran, and for every learner cell.
    check_failure: bool = False
    #: Wall-clock seconds the cell took where it ran (for a judged test cell: in the judge,
    #: calls to the answer included). Only for the timing breakdown; it never decides a score.
    seconds: float = 0.0
    #: CPU seconds the cell used: for a judged test cell, the judge's and the answering
    #: processes' (read from outside); elsewhere, the process's own. Shown only, like seconds.
    cpu: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "cell": self.index,
            "execution_count": self.execution_count,
            "outputs": list(self.outputs),
            "truncated": self.truncated,
            "check_failure": self.check_failure,
            "seconds": self.seconds,
            "cpu": self.cpu,
        }

    @classmethod
    def from_json(cls, data: Any) -> CellRecord:
        if not isinstance(data, dict):
            raise ProtocolError(f"a cell record is {type(data).__name__}, not an object")
        outputs = _field(data, "outputs", list)
        return cls(
            _field(data, "cell", int),
            _optional_int(data, "execution_count"),
            tuple(_check_output(o) for o in outputs),
            bool(_field(data, "truncated", bool)),
            bool(_field(data, "check_failure", bool)),
            _duration(data.get("seconds")),
            _duration(data.get("cpu")),
        )


def _duration(value: Any) -> float:
    """A cell's reported duration: a finite number of seconds from 0, else 0 (it is reported
    by the process that ran the cell, which may be a submission's: it is only ever shown)."""
    if type(value) not in (int, float) or not 0 <= value < math.inf:
        return 0.0
    return float(value)


@dataclass(frozen=True)
class WorkerReady:
    """The worker's first line: IPython is loaded and it waits for requests."""

    vm_bytes: int  # the warm worker's address space

    def encode(self) -> bytes:
        return _encode({"ready": True, "vm_bytes": self.vm_bytes})

    @classmethod
    def decode(cls, line: bytes | str) -> WorkerReady:
        def parse(data: dict[str, Any]) -> WorkerReady:
            if data.get("ready") is not True:
                raise ProtocolError("it does not say it is ready")
            return cls(_field(data, "vm_bytes", int))

        return _decode("ready message", line, parse)


@dataclass(frozen=True)
class RunRequest:
    """Run one notebook: its code cells, where, and under which limits."""

    cells: tuple[tuple[int, str, bool], ...]  # (index, source, trusted) of each code cell
    cwd: str  # the folder it runs in, as seen inside the sandbox
    timeout: float  # seconds of wall-clock time for the whole notebook
    memory_mb: int  # address space beyond the warm worker's; 0 for no limit
    processes: int  # processes and threads at once
    file_size: int  # bytes of any one file written
    wipe: tuple[str, ...]  # folders emptied afterwards (inside the sandbox only)
    private: str  # the notebook's private temporary folder
    files_from: str = ""  # a folder copied to ``cwd`` before the notebook runs ("" for none)
    judged: tuple[int, ...] = ()  # test cells whose verdicts the judge decides (() for none)

    def encode(self) -> bytes:
        return _encode(
            {
                "cells": [list(cell) for cell in self.cells],
                "cwd": self.cwd,
                "timeout": self.timeout,
                "memory_mb": self.memory_mb,
                "processes": self.processes,
                "file_size": self.file_size,
                "wipe": list(self.wipe),
                "private": self.private,
                "files_from": self.files_from,
                "judged": list(self.judged),
            }
        )

    @classmethod
    def decode(cls, line: bytes | str) -> RunRequest:
        def parse(data: dict[str, Any]) -> RunRequest:
            cells = []
            for cell in _field(data, "cells", list):
                if not (
                    isinstance(cell, list)
                    and len(cell) == 3
                    and type(cell[0]) is int
                    and isinstance(cell[1], str)
                    and isinstance(cell[2], bool)
                ):
                    raise ProtocolError(f"a cell is not [index, source, trusted]: {cell!r:.80}")
                cells.append((cell[0], cell[1], cell[2]))
            return cls(
                tuple(cells),
                _field(data, "cwd", str),
                _number(data, "timeout"),
                _field(data, "memory_mb", int),
                _field(data, "processes", int),
                _field(data, "file_size", int),
                _strings(_field(data, "wipe", list), "'wipe'"),
                _field(data, "private", str),
                _field(data, "files_from", str),
                _indexes(data.get("judged", []), "'judged'"),
            )

        return _decode("request", line, parse)


@dataclass(frozen=True)
class RunReply:
    """How running one notebook went: each cell that ran, and how it ended."""

    status: NotebookStatus
    detail: str  # why it did not end normally ("" when it did)
    cells: tuple[CellRecord, ...]
    running: int | None  # the index of the cell running when the notebook stopped
    seconds: float

    def encode(self) -> bytes:
        return _encode(
            {
                "status": self.status.value,
                "detail": self.detail,
                "cells": [cell.to_json() for cell in self.cells],
                "running": self.running,
                "seconds": self.seconds,
            }
        )

    @classmethod
    def decode(cls, line: bytes | str) -> RunReply:
        def parse(data: dict[str, Any]) -> RunReply:
            status = _field(data, "status", str)
            if status not in {s.value for s in NotebookStatus}:
                raise ProtocolError(f"unknown status {status!r:.40}")
            return cls(
                NotebookStatus(status),
                _field(data, "detail", str),
                tuple(CellRecord.from_json(c) for c in _field(data, "cells", list)),
                _optional_int(data, "running"),
                _number(data, "seconds"),
            )

        return _decode("reply", line, parse)
