"""The ``advpy`` command: the only module that reads ``argv``; each command is thin."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advpy.course.paths import course_paths


def _cmd_build(args: argparse.Namespace) -> int:
    from advpy.course.build import build
    from advpy.course.masters import MasterError
    from advpy.course.nbgrader_runner import NbgraderError

    paths = course_paths()
    try:
        result = build(paths, check=args.check)
    except (MasterError, NbgraderError) as error:
        print(f"advpy build: {error}", file=sys.stderr)
        return 2
    if args.check:
        problems = [f"  stale or hand-edited: {p}" for p in result.changed]
        problems += [f"  no master for: {p}" for p in result.orphans]
        if problems:
            print("Generated notebooks are out of date; run `make build`:", file=sys.stderr)
            print("\n".join(problems), file=sys.stderr)
            return 1
        print(f"All {len(result.files)} generated notebooks are current.")
        return 0
    for relative in result.changed:
        print(f"wrote {relative}")
    for relative in result.orphans:
        print(f"removed {relative} (its master is gone)")
    print(f"{len(result.files)} notebooks, {len(result.changed)} changed.")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from advpy.progress import ProgressError
    from advpy.selfcheck import CheckError, format_report, record_check
    from advpy.selfcheck_warm.client import check_notebook

    path = Path(args.notebook)
    try:
        results = check_notebook(path, cold=args.cold)
    except CheckError as error:
        print(f"advpy check: {error}", file=sys.stderr)
        return 2
    print(format_report(path, results), flush=True)
    try:
        store = record_check(path, results)
    except ProgressError as error:
        print(f"advpy check: the result above was not recorded: {error}", file=sys.stderr)
    else:
        print(f"\nRecorded in {store} (`advpy progress` shows every set).")
    return 0 if all(r.error is None for r in results) else 1


def _cmd_progress(args: argparse.Namespace) -> int:
    from advpy.progress import ProgressError, default_store
    from advpy.start_here.standing import standing, standing_text

    store = default_store()
    try:
        rows = standing(course_paths(), store)
    except ProgressError as error:
        print(f"advpy progress: {error}", file=sys.stderr)
        return 2
    print(standing_text(rows, store))
    return 0


def _grade_where(args: argparse.Namespace) -> tuple[str, int] | str:
    """Where ``advpy grade`` runs the notebooks: (a Dask scheduler's address, LocalCluster
    workers), or the error to print. Checked before the grader is even imported, so a typo or
    a scheduler that is not there fails at once."""
    if args.jobs and (args.scheduler or args.cluster):
        return (
            "--jobs is for this machine's workers; a Dask cluster runs as many notebooks at once "
            "as its workers have threads (dask worker --nthreads)"
        )
    if not (args.scheduler or args.cluster):
        return "", 0
    from advpy.grade.cluster import (
        ClusterUnavailable,
        check_scheduler,
        parse_local_cluster,
        require_distributed,
    )

    local = 0
    try:
        if args.cluster:
            local = parse_local_cluster(args.cluster)
        require_distributed()
        if args.scheduler:
            check_scheduler(args.scheduler)
    except ValueError as error:
        return f"--cluster {error}"
    except ClusterUnavailable as error:
        return str(error)
    return args.scheduler, local


def _cmd_grade(args: argparse.Namespace) -> int:
    where = _grade_where(args)
    if isinstance(where, str):
        print(f"advpy grade: {where}", file=sys.stderr)
        return 2

    from advpy.grade.runner import GradeError, GradeOptions, grade_assignment
    from advpy.grade.sandbox import Limits, SandboxUnavailable

    options = GradeOptions(
        assignment=args.assignment,
        course=Path(args.course) if args.course else course_paths().grading,
        limits=Limits(timeout=args.timeout, memory_mb=args.memory),
        sandbox=not args.unsafe_no_sandbox,
        progress=sys.stderr,
        verdicts_in_kernel=args.verdicts_in_kernel,
        scheduler=where[0],
        local_cluster=where[1],
    )
    if args.jobs:
        options.jobs = args.jobs
    if args.unsafe_no_sandbox:
        print(
            "advpy grade: WARNING: grading without a sandbox; submissions can read the hidden "
            "tests and change the gradebook.",
            file=sys.stderr,
        )
    try:
        summary = grade_assignment(options)
    except (GradeError, SandboxUnavailable) as error:
        print(f"advpy grade: {error}", file=sys.stderr)
        return 2
    print(summary.line())
    return 1 if summary.lost else 0


def _cmd_audit(args: argparse.Namespace) -> int:
    import tempfile

    from advpy.audit.audit_file import AuditFileError
    from advpy.audit.report import summary_lines, write_report
    from advpy.audit.runner import AuditError, audit_assignment
    from advpy.course.paths import exercise_masters
    from advpy.grade.executor import default_jobs
    from advpy.grade.runner import GradeError
    from advpy.grade.sandbox import SandboxUnavailable

    paths = course_paths()
    known = [m.stem for m in exercise_masters(paths)]
    unknown = [name for name in args.sets if name not in known]
    if unknown:
        print(f"advpy audit: no graded set {', '.join(unknown)}; the sets are:", file=sys.stderr)
        print("  " + " ".join(known), file=sys.stderr)
        return 2
    audits = []
    with tempfile.TemporaryDirectory(prefix="advpy-audit-") as work:
        for assignment in args.sets or known:
            try:
                audits.append(
                    audit_assignment(
                        paths,
                        assignment,
                        Path(work) / assignment,
                        max_mutants=args.max_mutants,
                        seed=args.seed,
                        jobs=args.jobs or default_jobs(),
                        runs=args.runs,
                        with_corpus=not args.no_corpus,
                        say=lambda line: print(line, file=sys.stderr, flush=True),
                    )
                )
            except (AuditError, AuditFileError, GradeError, SandboxUnavailable) as error:
                print(f"advpy audit: {error}", file=sys.stderr)
                return 2
            recorded = audits[-1].record(paths)
            if recorded is not None:
                print(f"{assignment}: passed; recorded in {recorded}", file=sys.stderr)
    markdown, chart = write_report(paths.root / "reports" / "audit", audits)
    print("\n".join(summary_lines(audits)))
    print(f"Report: {markdown} and {chart}")
    return 0 if all(a.ok for a in audits) else 1


def _cmd_doctor(args: argparse.Namespace) -> int:
    from advpy.doctor import report

    text, healthy = report()
    print(text)
    if not healthy:
        print("\nSomething the course needs is missing (MISS above): install it as shown.")
    return 0 if healthy else 1


def _cmd_setup_jupyter(args: argparse.Namespace) -> int:
    from advpy.lab import setup_jupyter

    for line in setup_jupyter():
        print(f"set up {line}")
    return 0


def _cmd_lab(args: argparse.Namespace) -> int:
    from advpy.lab import launch

    process = launch(
        course_paths(),
        instructor=args.instructor,
        port=args.port,
        open_browser=not args.no_browser,
        token=args.token,
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        return process.wait()


def _cmd_site(args: argparse.Namespace) -> int:
    import time

    from advpy.website.build import SiteError, build_site

    paths = course_paths()
    out = Path(args.out).resolve() if args.out else paths.root / "_site"
    started = time.monotonic()
    try:
        result = build_site(
            paths,
            out,
            paths.root / "build" / "site",
            fast=not args.full,
            only=set(args.only) if args.only else None,
        )
    except SiteError as error:
        print(f"advpy site: {error}", file=sys.stderr)
        return 1
    took = time.monotonic() - started
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in result.timings.items())
    print(
        f"{len(result.pages)} pages ({result.widgets} widget snapshots) in {took:.0f} s "
        f"({steps}): open {out / 'index.html'}"
    )
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    from advpy.course.bundle import ReleaseError, write_release

    paths = course_paths()
    out = Path(args.out) if args.out else paths.root / "build" / "learner-release"
    try:
        release = write_release(paths, out, allow=args.allow_shown)
    except ReleaseError as error:
        print(f"advpy release: {error}", file=sys.stderr)
        return 1
    for name, shown in release.allowed.items():
        print(f"advpy release: shipped as allowed, {name} shows:", file=sys.stderr)
        print("\n".join(f"    {what}" for what in shown), file=sys.stderr)
    print(
        f"{len(release.files)} files scanned for {release.secrets} solution and hidden-test "
        f"lines, none found{' outside the allowed files' if release.allowed else ''}: the learner "
        f"release is in {release.out}"
    )
    return 0


def _cmd_hub(args: argparse.Namespace) -> int:
    import signal

    from advpy.hub.accounts import AccountError
    from advpy.hub.trial import HubError, HubTrial

    if args.students < 1:
        print("advpy hub: --students must be at least 1", file=sys.stderr)
        return 2
    trial = HubTrial(course_paths(), students=args.students, port=args.port, log=sys.stderr)
    try:
        trial.start()
    except (HubError, AccountError) as error:
        print(f"advpy hub: {error}", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print(f"JupyterHub trial class on {trial.url}/hub/login (loopback only). Log in as:")
        for role, name, password in trial.logins():
            print(f"  {role:<10}  {name:<26}  password {password}")
        print(f"nbgrader exchange: {trial.exchange}; the instructor's course: {trial.course}")
        print("The instructor releases with `nbgrader generate_assignment ps31_two_sum` and")
        print("`nbgrader release_assignment ps31_two_sum` in a terminal there (cd ~/course).")
        print("Ctrl-C ends the trial: servers stopped, users and their files removed.", flush=True)
        if trial.process is not None:
            trial.process.wait()
            print("advpy hub: the hub stopped; see its log above", file=sys.stderr)
            print(trial.hub_log()[-2000:], file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        trial.stop()
    return 0


def _refused_in_a_release(command: str) -> int:
    from advpy.course.bundle import INSTRUCTOR_COMMANDS

    print(
        f"advpy {command}: this is the learner release of the course, which holds no "
        f"solutions; `advpy {command}` {INSTRUCTOR_COMMANDS[command]}, so it runs in the full "
        "repository only.",
        file=sys.stderr,
    )
    return 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``advpy``."""
    from advpy.grade.sandbox import Limits

    parser = argparse.ArgumentParser(
        prog="advpy", description="The advpy course: build, open, check and grade notebooks."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="generate every notebook from its text master")
    build.add_argument("--check", action="store_true", help="only report stale notebooks (exit 1)")
    build.set_defaults(run=_cmd_build)

    check = commands.add_parser("check", help="run an exercise notebook's tests and report")
    check.add_argument("notebook", help="e.g. notebooks/exercises/ps31_two_sum.ipynb")
    check.add_argument(
        "--cold",
        action="store_true",
        help="run in a kernel started for this check only, not the warm server's "
        "(also: ADVPY_CHECK_COLD=1)",
    )
    check.set_defaults(run=_cmd_check)

    progress = commands.add_parser(
        "progress", help="your last self-check result of every graded set, in course order"
    )
    progress.set_defaults(run=_cmd_progress)

    grade = commands.add_parser(
        "grade", help="grade every submission of an assignment, sandboxed and in parallel"
    )
    grade.add_argument("assignment", help="e.g. ps31_two_sum")
    grade.add_argument("--course", default=None, help="the nbgrader course (default: grading/)")
    grade.add_argument("--jobs", type=int, default=0, help="notebooks at once (default: cores)")
    limits = Limits()
    grade.add_argument(
        "--timeout",
        type=float,
        default=limits.timeout,
        help=f"seconds per notebook (default: {limits.timeout:g})",
    )
    grade.add_argument(
        "--memory",
        type=int,
        default=limits.memory_mb,
        help=f"MB of memory per notebook (default: {limits.memory_mb})",
    )
    grade.add_argument(
        "--unsafe-no-sandbox",
        action="store_true",
        help="run submissions without bubblewrap (only for code you trust)",
    )
    grade.add_argument(
        "--verdicts-in-kernel",
        action="store_true",
        help="run the test cells beside the answers, in one process, as nbgrader does (for "
        "assignments whose tests must run there; by default a separate judge process runs them)",
    )
    where = grade.add_mutually_exclusive_group()
    where.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default="",
        help="run the notebooks on the workers of this Dask distributed scheduler",
    )
    where.add_argument(
        "--cluster",
        metavar="local:N",
        default="",
        help="run the notebooks on a Dask LocalCluster of N worker processes on this machine",
    )
    grade.set_defaults(run=_cmd_grade)

    audit = commands.add_parser(
        "audit", help="grade mutants of each reference solution: do the hidden tests catch them?"
    )
    audit.add_argument("sets", nargs="*", help="e.g. ps31_two_sum (default: every graded set)")
    audit.add_argument(
        "--max-mutants",
        type=int,
        default=None,
        help="at most this many mutants per answer cell, sampled by --seed (default: all)",
    )
    audit.add_argument("--seed", type=int, default=0, help="which sample (default: 0)")
    audit.add_argument("--jobs", type=int, default=0, help="notebooks at once (default: cores)")
    audit.add_argument(
        "--runs", type=int, default=2, help="times each submission is graded (default: 2)"
    )
    audit.add_argument(
        "--no-corpus", action="store_true", help="grade only the reference and its mutants"
    )
    audit.set_defaults(run=_cmd_audit)

    site = commands.add_parser(
        "site", help="build the course as a static website, every lesson executed (_site/)"
    )
    site.add_argument("--out", default=None, help="where to write it (default: _site/)")
    site.add_argument(
        "--full", action="store_true", help="run the lessons with full-size inputs (slow)"
    )
    site.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="only these lessons and graded sets (e.g. 00_start_here 07_scopes ps07_scopes)",
    )
    site.set_defaults(run=_cmd_site)

    doctor = commands.add_parser("doctor", help="report the environment and what is missing")
    doctor.set_defaults(run=_cmd_doctor)

    lab = commands.add_parser("lab", help="open the course in JupyterLab")
    lab.add_argument("--instructor", action="store_true", help="with nbgrader's instructor tools")
    lab.add_argument("--port", type=int, default=None, help="port to listen on (loopback)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    lab.add_argument("--token", default=None, help="access token (default: a random one)")
    lab.set_defaults(run=_cmd_lab)

    release = commands.add_parser(
        "release", help="write the course as learners of a graded class get it, leak-checked"
    )
    release.add_argument(
        "--out", default=None, help="where to write it (default: build/learner-release/)"
    )
    release.add_argument(
        "--allow-shown",
        action="append",
        default=[],
        metavar="FILE",
        help="ship this file (its path in the release) although it shows part of an answer, "
        "e.g. a lesson that teaches what a set grades; what it shows is printed (repeatable)",
    )
    release.set_defaults(run=_cmd_release)

    hub = commands.add_parser(
        "hub",
        help="a trial class on JupyterHub (loopback): learners as Unix users, nbgrader's exchange",
    )
    hub.add_argument("--students", type=int, default=2, help="learner accounts (default: 2)")
    hub.add_argument("--port", type=int, default=8000, help="the hub's port (default: 8000)")
    hub.set_defaults(run=_cmd_hub)

    setup = commands.add_parser("setup-jupyter", help="install the course kernel and settings")
    setup.set_defaults(run=_cmd_setup_jupyter)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``advpy`` command."""
    from advpy.course.bundle import INSTRUCTOR_COMMANDS, is_release

    args = build_parser().parse_args(argv)
    if args.command in INSTRUCTOR_COMMANDS and is_release(course_paths().root):
        return _refused_in_a_release(args.command)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
