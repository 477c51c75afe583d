"""A real lock-ordering deadlock, caught by a timeout and shown with ``faulthandler``.

Two threads move money between the same two accounts in opposite directions. In the
``naive`` order each takes the lock of the account it pays from, then the other one. A
barrier between the two acquisitions makes sure both threads hold their first lock before
either asks for the second: the worst timing, made certain instead of rare. In the
``ordered`` version both take the lock of the account with the smaller number first.

Run it as its own program, so that a deadlock can never freeze the caller:
``python -m advpy.lessons.thread_safety.deadlock naive`` (or ``ordered``). The program waits
for its threads with a timeout; if they are still stuck it prints every thread's stack with
:func:`faulthandler.dump_traceback` and exits at once with ``os._exit`` (a normal exit would
wait for the stuck threads forever). :func:`run_demo` runs it in a subprocess and returns what
it printed.
"""

from __future__ import annotations

import faulthandler
import linecache
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

__all__ = ["Account", "transfer_naive", "transfer_ordered", "main", "DemoRun", "run_demo"]


class Account:
    """A balance, a unique number, and the lock that guards the balance."""

    def __init__(self, number: int, balance: int) -> None:
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


#: Both threads meet here holding their first lock (``patience`` seconds at most).
_meeting = threading.Barrier(2, timeout=1.0)


def _meet() -> None:
    try:
        _meeting.wait()
    except threading.BrokenBarrierError:
        pass  # the other thread could not come: it waits for the lock this thread holds


def transfer_naive(a: Account, b: Account, amount: int) -> None:
    """Lock the payer, then the payee: two opposite transfers can each hold one lock."""
    with a.lock:
        _meet()
        with b.lock:
            a.balance -= amount
            b.balance += amount


def transfer_ordered(a: Account, b: Account, amount: int) -> None:
    """Lock the account with the smaller number first, whichever way the money goes."""
    first, second = (a, b) if a.number < b.number else (b, a)
    with first.lock:
        _meet()
        with second.lock:
            a.balance -= amount
            b.balance += amount


def main(argv: list[str] | None = None) -> int:
    """Run two opposite transfers with the chosen lock order; report a deadlock with every
    thread's stack."""
    args = sys.argv[1:] if argv is None else argv
    mode = args[0] if args else "naive"
    transfer = transfer_naive if mode == "naive" else transfer_ordered
    # A safety net: if anything below hangs for 30 s, dump the stacks and exit.
    faulthandler.dump_traceback_later(30, exit=True)
    x, y = Account(1, 100), Account(2, 100)
    threads = [
        threading.Thread(target=transfer, args=(x, y, 10), name="x-to-y", daemon=True),
        threading.Thread(target=transfer, args=(y, x, 25), name="y-to-x", daemon=True),
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = start + 3.0
    for thread in threads:
        thread.join(max(0.0, deadline - time.perf_counter()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        print(f"DEADLOCK: {', '.join(stuck)} still running after 3 s; their stacks:", flush=True)
        faulthandler.dump_traceback(file=sys.stdout, all_threads=True)
        sys.stdout.flush()
        os._exit(1)
    elapsed = time.perf_counter() - start
    print(f"finished in {elapsed:.2f} s: x={x.balance}, y={y.balance}", flush=True)
    faulthandler.cancel_dump_traceback_later()
    return 0


@dataclass(frozen=True)
class DemoRun:
    """What the demo program printed, and how it ended."""

    mode: str
    returncode: int
    output: str
    seconds: float

    @property
    def deadlocked(self) -> bool:
        return self.output.startswith("DEADLOCK")

    def where_stuck(self) -> list[str]:
        """For each stack in the dump, the innermost line of this module's transfer functions,
        with its source: where each stuck thread waits."""
        found = []
        for line in self.output.splitlines():
            match = re.search(r'File "(.+deadlock\.py)", line (\d+) in (transfer_\w+)', line)
            if match:
                path, number, function = match.group(1), int(match.group(2)), match.group(3)
                code = linecache.getline(path, number).strip()
                found.append(f"{function}, line {number}: {code}")
        return found


def run_demo(mode: str) -> DemoRun:
    """Run ``main(mode)`` in a fresh Python process and collect its output."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "advpy.lessons.thread_safety.deadlock", mode],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return DemoRun(mode, done.returncode, done.stdout + done.stderr, time.perf_counter() - start)


if __name__ == "__main__":
    raise SystemExit(main())
