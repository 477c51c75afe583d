"""How long does ``advpy check`` take, cold (a kernel started for the check) and warm (a kernel
forked by the warm server), measured side by side in one run?

For each graded set it writes the learner's notebook filled with the reference solution, then
runs ``advpy check`` on it ``--runs`` times each way, cold and warm in turn, as a learner would
in a terminal (a new ``python -m advpy.cli check`` process each time, its output going to a
file, so the time is until the command returns). A private warm server is started first, in a
temporary folder, and stopped at the end; results are recorded in a temporary progress store.

Run by hand (``make benchmarks``), not by the test suite:

    .venv/bin/python benchmarks/selfcheck_latency.py [--runs 5] [--sets ps31_two_sum ...] [--all]

It prints the machine's context, how long the server took to be ready, then per set the
median (and range) of the cold and warm times, the speed-up, the CPU time of the ``advpy
check`` process itself, and whether both ways printed the same report.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from advpy.course.paths import course_paths, exercise_masters
from advpy.course.scratch import with_answers
from advpy.selfcheck_warm import client
from advpy.selfcheck_warm.wire import COLD_ENV, DIR_ENV

DEFAULT_SETS = ("ps31_two_sum", "ps33_merge_intervals", "ps37_topological_sort")


@dataclass
class Timings:
    """One way of checking one set: wall and CPU seconds per run, and what it printed."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    reports: set[str] = field(default_factory=set)

    def summary(self) -> str:
        median = statistics.median(self.wall)
        return f"{median:5.2f} s ({min(self.wall):.2f}-{max(self.wall):.2f})"


def reference_notebook(assignment: str, folder: Path) -> Path:
    """The learner's notebook of ``assignment`` with the reference solution's answer cells."""
    paths = course_paths()
    source = nbformat.read(paths.source / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {
        cell.metadata["nbgrader"]["grade_id"]: cell.source
        for cell in source.cells
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    notebook = nbformat.read(paths.exercises / f"{assignment}.ipynb", as_version=4)
    target = folder / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(with_answers(notebook, answers), target)
    return target


def run_check(path: Path, cold: bool, output: Path) -> tuple[float, float, str]:
    """Wall and CPU seconds of one ``advpy check`` process, and the report it printed."""
    command = [sys.executable, "-m", "advpy.cli", "check", str(path)] + (["--cold"] if cold else [])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(output, "w") as out:
        started = time.perf_counter()
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, check=False, timeout=600)
        wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = "\n".join(
        line for line in output.read_text().splitlines() if not line.startswith("Recorded in")
    )
    return wall, cpu, report


def server_cpu(folder: Path) -> float:
    """CPU seconds used so far by the warm server and every process it has reaped (its
    checkers and their kernels), from ``/proc``."""
    pids = client.server_pids(folder)
    total = 0.0
    for pid in pids or ():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        # utime, stime, cutime, cstime: fields 14-17 of proc(5), 12-15 after the name.
        total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="checks of each set, each way")
    parser.add_argument("--sets", nargs="*", default=list(DEFAULT_SETS))
    parser.add_argument("--all", action="store_true", help="every graded set")
    args = parser.parse_args()
    sets = [m.stem for m in exercise_masters(course_paths())] if args.all else args.sets

    scratch = Path(tempfile.mkdtemp(prefix="advpy-check-latency-"))
    folder = Path(tempfile.mkdtemp(prefix="acl-", dir="/tmp"))  # short: socket paths
    folder.chmod(0o700)
    os.environ[DIR_ENV] = str(folder)
    os.environ.pop(COLD_ENV, None)
    os.environ["ADVPY_PROGRESS_DB"] = str(scratch / "progress.sqlite3")
    try:
        print(
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
            f"Python {platform.python_version()}, {args.runs} runs of each way per set"
        )
        started = time.perf_counter()
        client.ensure_server(folder)
        print(f"warm server ready {time.perf_counter() - started:.1f} s after it was started")
        print()
        print(f"{'set':<24} {'cold':>19} {'warm':>19} {'speed-up':>9} {'CPU cold/warm':>14}  same")
        failed = False
        for assignment in sets:
            path = reference_notebook(assignment, scratch)
            timings = {"cold": Timings(), "warm": Timings()}
            answered = client.ping(folder)
            for _ in range(args.runs):
                for way, timing in timings.items():
                    used = server_cpu(folder)
                    wall, cpu, report = run_check(path, way == "cold", scratch / "out.txt")
                    if way == "warm":
                        time.sleep(0.5)  # the kernel shuts down after the scores are sent
                        cpu += server_cpu(folder) - used
                    timing.wall.append(wall)
                    timing.cpu.append(cpu)
                    timing.reports.add(report)
            now = client.ping(folder)
            served = (now or {}).get("checks", 0) - (answered or {}).get("checks", 0)
            cold, warm = timings["cold"], timings["warm"]
            same = len(cold.reports | warm.reports) == 1
            speedup = statistics.median(cold.wall) / statistics.median(warm.wall)
            cpu = f"{statistics.median(cold.cpu):.2f}/{statistics.median(warm.cpu):.2f} s"
            print(
                f"{assignment:<24} {cold.summary():>19} {warm.summary():>19} "
                f"{speedup:8.1f}x {cpu:>14}  {'yes' if same else 'NO'}"
                + ("" if served == args.runs else f"  (warm server answered {served})")
            )
            failed |= not same or served != args.runs
        print()
        print("Times are medians (and ranges) until `advpy check` returns. CPU is all a check")
        print("uses: the command and its kernel (cold); the command, the server's checker and")
        print("the forked kernel (warm).")
        return 1 if failed else 0
    finally:
        client.stop_server(folder)
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
