"""What ``gc.freeze()`` does for a server that forks workers: copy-on-write, measured.

After ``fork()`` parent and child share every memory page until one of them writes to it;
then the kernel copies that page for the writer. A full collection in the child writes to the
header of every object the collector tracks (it keeps its bookkeeping there), so a child that
collects soon copies most of the parent's heap, although it changed none of the data.
``gc.freeze()`` moves every tracked object to a permanent generation that collections skip.

:func:`measure_fork_sharing` runs :func:`fork_and_collect` in a fresh interpreter (a process
that runs no other threads, so forking it is safe), once without and once with the freeze.
Linux only: it reads the child's private dirty memory from ``/proc/self/smaps_rollup``.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = [
    "ForkRecord",
    "supported",
    "private_dirty_kib",
    "fork_and_collect",
    "measure_fork_sharing",
]

_ROLLUP = Path("/proc/self/smaps_rollup")


@dataclass(frozen=True)
class ForkRecord:
    """A forked child's own memory before and after one full collection."""

    objects: int  # containers the parent built before forking
    frozen: bool  # whether the parent called gc.freeze() before forking
    private_before_kib: int  # the child's private (copied) memory right after the fork
    private_after_kib: int  # ... and after gc.collect() in the child
    collect_seconds: float  # how long that collection took in the child

    @property
    def copied_kib(self) -> int:
        """Memory the collection made the kernel copy for the child."""
        return self.private_after_kib - self.private_before_kib


def supported() -> bool:
    """True where this measurement works: ``os.fork`` and ``/proc/self/smaps_rollup``."""
    return hasattr(os, "fork") and _ROLLUP.exists()


def private_dirty_kib() -> int:
    """This process's private dirty memory (pages it wrote that nobody shares), in KiB."""
    for line in _ROLLUP.read_text().splitlines():
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1])
    raise RuntimeError("no Private_Dirty line in /proc/self/smaps_rollup")


def fork_and_collect(objects: int, freeze: bool) -> ForkRecord:
    """Build ``objects`` small containers, optionally ``gc.freeze()``, fork, and in the child
    run one full collection; returns what the child measured. Call it only in a process
    without other threads (forking copies a lock some other thread may hold)."""
    heap = [[index] for index in range(objects)]
    gc.collect()
    if freeze:
        gc.freeze()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        try:
            before = private_dirty_kib()
            start = time.perf_counter()
            gc.collect()
            seconds = time.perf_counter() - start
            after = private_dirty_kib()
            os.write(write_end, json.dumps([before, after, seconds]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        answer = reader.read()
    os.waitpid(pid, 0)
    if freeze:
        gc.unfreeze()
    del heap
    before, after, seconds = json.loads(answer)
    return ForkRecord(objects, freeze, int(before), int(after), float(seconds))


def measure_fork_sharing(objects: int, timeout: float = 120.0) -> list[ForkRecord]:
    """:func:`fork_and_collect` without, then with, ``gc.freeze()``, each in a fresh
    interpreter started for the purpose."""
    records = []
    for freeze in (False, True):
        done = subprocess.run(
            [sys.executable, "-m", __name__, str(objects), "1" if freeze else "0"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        records.append(ForkRecord(**json.loads(done.stdout)))
    return records


def main(argv: list[str]) -> None:
    """``python -m advpy.lessons.memory.forking OBJECTS FREEZE``: print one record as JSON."""
    record = fork_and_collect(int(argv[0]), argv[1] == "1")
    print(json.dumps(asdict(record)))


if __name__ == "__main__":
    main(sys.argv[1:])
