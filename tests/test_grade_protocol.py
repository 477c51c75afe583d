"""The messages between ``advpy grade`` and its sandboxed worker: each survives the trip, and a
malformed reply (the worker ran untrusted code) is refused with a :class:`ProtocolError`, never
another exception."""

from __future__ import annotations

import json
import math
import sys

import pytest

from advpy.grade import executor
from advpy.grade.executor import NotebookJob, SandboxWorker, WorkerSettings
from advpy.grade.protocol import (
    CellRecord,
    NotebookStatus,
    ProtocolError,
    RunReply,
    RunRequest,
    WorkerReady,
)
from advpy.grade.results import NotebookOutcome, SubmissionOutcome

REPLY = RunReply(
    NotebookStatus.OK,
    "",
    (
        CellRecord(
            2,
            1,
            (
                {"output_type": "stream", "name": "stdout", "text": "hi\n"},
                {"output_type": "execute_result", "execution_count": 1, "data": {}, "metadata": {}},
                {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["E: v"]},
            ),
            True,
        ),
    ),
    None,
    0.25,
)


def test_messages_survive_the_trip() -> None:
    request = RunRequest(
        ((0, "x = 1", False), (3, "assert x", True)), "/w", 5.0, 64, 8, 1, (), "/t"
    )
    assert RunRequest.decode(request.encode()) == request
    copying = RunRequest(((0, "x = 1", False),), "/w", 5.0, 64, 8, 1, (), "/t", "/submission/w")
    assert RunRequest.decode(copying.encode()) == copying
    assert RunReply.decode(REPLY.encode()) == REPLY
    checked = RunReply(
        NotebookStatus.OK, "", (CellRecord(3, 2, (), False, True, 1.5, 1.25),), None, 2
    )
    assert RunReply.decode(checked.encode()) == checked
    assert WorkerReady.decode(WorkerReady(123).encode()) == WorkerReady(123)


def _reply(**changes: object) -> bytes:
    data = json.loads(REPLY.encode())
    data.update(changes)
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe",
        b"[1, 2]",
        b"{}",
        _reply(status="fine"),
        _reply(status=1),
        _reply(detail=None),
        _reply(running="3"),
        _reply(running=True),
        _reply(seconds="1"),
        _reply(cells={"cell": 1}),
        _reply(cells=[{"cell": "1", "execution_count": 1, "outputs": [], "truncated": False}]),
        _reply(cells=[{"cell": 1, "execution_count": 1, "outputs": {}, "truncated": False}]),
        _reply(cells=[{"cell": 1, "execution_count": 1, "outputs": [7], "truncated": False}]),
        _reply(cells=[{"cell": 1, "execution_count": 1, "outputs": [{}], "truncated": False}]),
        _reply(
            cells=[
                {
                    "cell": 1,
                    "execution_count": 1,
                    "outputs": [{"output_type": "error", "ename": "E", "evalue": "v"}],
                    "truncated": False,
                }
            ]
        ),
        _reply(
            cells=[
                {
                    "cell": 1,
                    "execution_count": 1,
                    "outputs": [{"output_type": "stream", "name": "stdout", "text": 5}],
                    "truncated": False,
                }
            ]
        ),
        _reply(
            cells=[
                {
                    "cell": 1,
                    "execution_count": 1,
                    "outputs": [],
                    "truncated": False,
                    "check_failure": "yes",
                }
            ]
        ),
    ],
)
def test_a_malformed_reply_is_refused(line: bytes) -> None:
    with pytest.raises(ProtocolError):
        RunReply.decode(line)


@pytest.mark.parametrize("seconds", [-1.0, math.inf, math.nan, True, "1", None])
def test_a_cell_s_duration_that_is_not_a_duration_reads_as_zero(seconds: object) -> None:
    """A cell's duration comes from the process that ran it (a submission's, for its own
    cells): it is only shown in the timing breakdown, so a strange one is 0, not an error."""
    record = CellRecord(1, 1, (), seconds=0.5, cpu=0.25).to_json()
    record["seconds"] = record["cpu"] = seconds
    read = CellRecord.from_json(record)
    assert read.seconds == 0.0 and read.cpu == 0.0


def test_time_by_kind_of_cell_is_kept_in_the_journal() -> None:
    outcome = SubmissionOutcome(
        "s",
        "f",
        [
            NotebookOutcome(
                "nb", NotebookStatus.OK, seconds=2.0, cell_seconds={"tests": 1.5}, test_cpu=1.25
            )
        ],
    )
    again = SubmissionOutcome.from_json(json.loads(json.dumps(outcome.to_json())))
    assert again == outcome


def test_statuses_read_back_from_plain_strings() -> None:
    """A journal line written before statuses were an enum still reads."""
    entry = {
        "student": "s",
        "fingerprint": "f",
        "notebooks": [{"name": "nb", "status": "timeout", "detail": "slow", "checks": []}],
    }
    outcome = SubmissionOutcome.from_json(entry)
    assert outcome.notebooks[0].status is NotebookStatus.TIMEOUT
    assert json.loads(json.dumps(outcome.to_json()))["notebooks"][0]["status"] == "timeout"
    assert not NotebookOutcome("nb", NotebookStatus.MISSING).ran


def test_a_malformed_reply_makes_an_error_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that answers nonsense costs its notebook the run, not the grader its life."""
    fake = (
        "import sys\n"
        'print(\'{"ready": true, "vm_bytes": 0}\', flush=True)\n'
        "sys.stdin.readline()\n"
        'print(\'{"status": "ok", "cells": 5}\', flush=True)\n'
        "sys.stdin.readline()\n"
    )
    monkeypatch.setattr(executor, "unsandboxed_command", lambda: [sys.executable, "-c", fake])
    settings = WorkerSettings(sandbox=False)
    job = NotebookJob("student", "nb", "assignment", ((0, "x = 1", False),), (), settings)
    worker = SandboxWorker(settings)
    try:
        run = worker.run(job)
    finally:
        worker.close()
    assert run.status is NotebookStatus.ERROR
    assert "malformed reply" in run.detail and run.cells == {}
