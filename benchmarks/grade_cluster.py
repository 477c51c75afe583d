"""Grade one class on a Dask ``LocalCluster`` of 1 and 2 workers (and on the local workers, for
comparison), print the throughput, the cost of one notebook, and what grading 800 students x 23
sets would take at that cost.

Builds a class of N submissions (default 40) of ps31_two_sum from its graded corpus (as
``grade_speed.py`` does), copies it into one scratch course per configuration, and grades each
with ``advpy grade``: ``--jobs W`` on this machine, then ``--cluster local:W``. The cluster runs
include starting the cluster (its start-up is printed apart) and every worker's first sandbox.
Scores are compared cell by cell with the first run's.

A notebook's cost is given twice: in worker-seconds of wall-clock time (what the run took times
its workers, over the notebooks: it grows when other work shares the machine) and in CPU
seconds (this process's own, and that of every process under it, the Dask workers, the
sandboxes and the notebooks' processes, read every 50 ms while they run: what a core of another
machine would spend), and the grader's own share of it (this process: preparing, scoring,
storing, reporting; it does not spread over the workers, so it bounds the throughput of any
cluster). The projection uses the CPU cost, and assumes every set costs what ps31
costs here; sets whose tests do more (threads, timing, mypy) cost more.

    .venv/bin/python benchmarks/grade_cluster.py [--students N] [--workers 1 2]
        [--scheduler tcp://HOST:PORT]   # also a running cluster's throughput
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from grade_speed import build_class  # noqa: E402

from advpy.course.scratch import read_scores  # noqa: E402
from advpy.grade.runner import GradeOptions, GradeSummary, grade_assignment  # noqa: E402

STUDENTS, SETS = 800, 23


class CpuMeter:
    """CPU seconds used by this process and by every process under it while the meter runs.

    Processes under this one are read every ``interval`` seconds (their own user and system
    time, not their children's, which are read themselves), so a process's last moments
    between two readings are missed: the figure errs low by at most that per process."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.seen: dict[tuple[int, float], float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        me = psutil.Process()
        while not self.stop.wait(self.interval):
            for process in me.children(recursive=True):
                try:
                    with process.oneshot():
                        times = process.cpu_times()
                        self.seen[(process.pid, process.create_time())] = times.user + times.system
                except psutil.Error:
                    continue

    def __enter__(self) -> CpuMeter:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own = usage.ru_utime + usage.ru_stime
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        self.own = usage.ru_utime + usage.ru_stime - self.own

    @property
    def seconds(self) -> float:
        return self.own + sum(self.seen.values())


def grade(options: GradeOptions) -> tuple[float, float, float, GradeSummary]:
    """Wall-clock seconds, CPU seconds (this process and every process under it), CPU seconds
    of this process alone (the grader: preparing, scoring, storing, reporting) and the
    summary."""
    started = time.perf_counter()
    with CpuMeter() as meter:
        summary = grade_assignment(options)
    return time.perf_counter() - started, meter.seconds, meter.own, summary


def cluster_startup(workers: int) -> tuple[float, float]:
    """Seconds, and CPU seconds, to start a LocalCluster of ``workers`` processes, connect to
    it and stop it (what a run pays once, whatever the size of the class)."""
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    with CpuMeter() as meter:
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=40,
            ) as cluster,
            Client(cluster, set_as_default=False) as client,
        ):
            client.wait_for_workers(workers)
            seconds = time.perf_counter() - started
    return seconds, meter.seconds


def differences(reference: Path, other: Path, assignment: str) -> int:
    """Cells scored differently from the reference run (a growth-rate timing included)."""
    expected, got = read_scores(reference, assignment), read_scores(other, assignment)
    return sum(
        1
        for student, cells in expected.items()
        for grade_id, cell in cells.items()
        if got.get(student, {}).get(grade_id) is None or got[student][grade_id].score != cell.score
    )


def hours(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--assignment", default="ps31_two_sum")
    parser.add_argument("--scheduler", default="", help="also grade on this running cluster")
    args = parser.parse_args()
    n = args.students

    scratch = Path(tempfile.mkdtemp(prefix="advpy-grade-cluster-"))
    try:
        template = build_class(args.assignment, n, scratch / "template", blank_only=False)
        runs: list[tuple[str, int, float, float, float, GradeSummary, Path]] = []
        configurations: list[tuple[str, int, GradeOptions]] = []
        for workers in args.workers:
            course = scratch / f"local-{workers}"
            options = GradeOptions(args.assignment, course, jobs=workers)
            configurations.append((f"local workers, --jobs {workers}", workers, options))
            course = scratch / f"dask-{workers}"
            options = GradeOptions(args.assignment, course, local_cluster=workers)
            configurations.append((f"Dask LocalCluster, local:{workers}", workers, options))
        if args.scheduler:
            options = GradeOptions(args.assignment, scratch / "remote", scheduler=args.scheduler)
            configurations.append((f"Dask cluster at {args.scheduler}", 0, options))
        for name, workers, options in configurations:
            shutil.copytree(template, options.course)
            seconds, cpu, own, summary = grade(options)
            runs.append((name, workers, seconds, cpu, own, summary, options.course))

        cores = os.cpu_count() or 1
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"class: {n} submissions of {args.assignment}; {cores} cores here, load average {load}"
        )
        first = runs[0][6]
        startup = {w: cluster_startup(w) for w in args.workers}
        for workers in args.workers:
            seconds, cpu = startup[workers]
            print(
                f"LocalCluster of {workers}: starts in {seconds:.1f} s, "
                f"{cpu:.1f} CPU s to start and stop"
            )
        header = f"{'':36} {'seconds':>8} {'notebooks/s':>12} {'worker-s/nb':>12}"
        print(f"{header} {'CPU s/nb':>9} {'grader':>7} {'diff':>5}")
        for name, workers, seconds, cpu, own, summary, course in runs:
            per = seconds * workers / n if workers else float("nan")
            local = name.startswith("local") or name.startswith("Dask LocalCluster")
            cpu_per = cpu / n if local else float("nan")  # a remote cluster's CPU is not seen
            lost = f" ({len(summary.lost)} lost)" if summary.lost else ""
            print(
                f"{name:36} {seconds:8.1f} {n / seconds:12.2f} {per:12.2f} {cpu_per:9.2f} "
                f"{own / n:7.2f} {differences(first, course, args.assignment):5d}{lost}"
            )
        notebooks = STUDENTS * SETS
        print(f"projection: {STUDENTS} students x {SETS} sets = {notebooks} notebooks")
        for name, workers, _, cpu, own, _, _ in runs:
            if not name.startswith("Dask LocalCluster"):
                continue
            # Starting the cluster is paid once per run, not per notebook: it is left out of
            # the cost per notebook, and counted once per set.
            fixed = startup[workers][1]
            per = max(0.0, cpu - fixed) / n
            total = per * notebooks + fixed * SETS
            spread = ", ".join(f"{w} cores {hours(total / w)}" for w in (2, 16, 64))
            print(
                f"  {name}: {per:.2f} CPU s per notebook once started; "
                f"{hours(total)} of CPU in all;"
            )
            print(f"    wall time with workers on {spread},")
            print(
                f"    but never less than the grader's own {hours(own / n * notebooks)} "
                f"({own / n:.2f} CPU s per notebook in one process)"
            )
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
