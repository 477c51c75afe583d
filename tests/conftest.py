"""Shared fixtures (the course's paths; each exercise graded once per test session) and how the
suite runs: in parallel with pytest-xdist, each test process in a temporary folder of its own
run, within a time budget.

- Tests that grade the same exercise share one graded class, so they run in the same process:
  a test with an ``assignment`` parameter is grouped by that exercise, any other test by its
  module (module fixtures are then built once). ``make test`` runs ``--dist loadgroup``; the
  groups are written into the node ids here (see ``pytest_collection_modifyitems``).
- ``--time-budget SECONDS`` fails the run when the whole session takes longer.
- The CPU time each test used (its process and the processes it waited for: kernels, graders,
  servers) is summed per module and the heaviest are listed at the end: on shared cores, CPU
  time says what a test costs where wall time also counts the waiting.
"""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from advpy.course.paths import CoursePaths, course_paths

# Lessons run in fast mode in the test suite: smaller inputs, the same code paths.
os.environ.setdefault("ADVPY_FAST", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# Self-checks and Validate record results; the suite keeps them out of the developer's own store.
os.environ.setdefault(
    "ADVPY_PROGRESS_DB", str(Path(tempfile.gettempdir()) / "advpy-tests" / "progress.sqlite3")
)
# `advpy check` runs the cold way in the suite (a kernel of its own per check, and no warm
# server left running in the developer's home); test_selfcheck_warm.py starts its own servers.
os.environ.setdefault("ADVPY_CHECK_COLD", "1")

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
#: Parent of every run's temporary folder; a run's own folder is named after its process.
TEMP_PARENT = Path(tempfile.gettempdir()) / "advpy-tests"
_STARTED = pytest.StashKey[float]()
_ITEM_CPU_START = pytest.StashKey[float]()
#: CPU seconds of each test module, summed on the controller.
_MODULE_CPU: defaultdict[str, float] = defaultdict(float)
#: How many modules the CPU summary lists.
CPU_SUMMARY_LINES = 12


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--time-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="fail the run when the whole session takes longer than this",
    )


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _remove_runs_that_ended() -> None:
    """Delete the temporary folders of earlier runs whose process is gone. pytest's own
    retention keeps the newest three folders of a user, so two runs at once could delete each
    other's; a folder here belongs to one process and outlives it only until the next run."""
    for folder in TEMP_PARENT.glob("run-*"):
        owner = folder.name.removeprefix("run-").split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            shutil.rmtree(folder, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    if _is_worker(config):
        return  # xdist gives each worker a folder inside the controller's
    config.stash[_STARTED] = time.monotonic()
    if config.option.basetemp is None and Path("/proc").is_dir():
        TEMP_PARENT.mkdir(exist_ok=True)
        _remove_runs_that_ended()
        config.option.basetemp = tempfile.mkdtemp(prefix=f"run-{os.getpid()}-", dir=TEMP_PARENT)


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    item.stash[_ITEM_CPU_START] = _cpu_seconds()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Iterator[pytest.TestReport]:
    if call.when == "teardown" and _ITEM_CPU_START in item.stash:
        # On the teardown report, which reaches the controller from xdist's workers.
        item.user_properties.append(("cpu_seconds", _cpu_seconds() - item.stash[_ITEM_CPU_START]))
    return (yield)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == "cpu_seconds":
            module = report.nodeid.split("::", 1)[0]
            _MODULE_CPU[module] += float(value)


def pytest_itemcollected(item: pytest.Item) -> None:
    # Grouped as each test is collected: xdist reads the groups into the node ids in its own
    # pytest_collection_modifyitems, which may run before any of ours.
    if item.get_closest_marker("xdist_group") is not None:
        return
    item.add_marker(pytest.mark.xdist_group(_group(item)))


def _group(item: pytest.Item) -> str:
    """The test's xdist group: its graded set, or its lesson, or else its module."""
    params = getattr(item, "callspec", None)
    values = params.params if params is not None else {}
    if isinstance(values.get("assignment"), str):
        return str(values["assignment"])
    module = item.module.__name__ if item.module is not None else item.nodeid
    if module.startswith("test_lesson_"):
        return "lesson-" + module.removeprefix("test_lesson_")
    # A lesson run by test_notebooks is run again by its own module, if it has one: together,
    # the run is cached once.
    name = values.get("name")
    if module == "test_notebooks" and isinstance(name, str):
        if (Path(__file__).parent / f"test_lesson_{name}.py").exists():
            return f"lesson-{name}"
    return module


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # xdist's loadgroup reads a test's group from a suffix of its node id ("...@group"), which
    # it writes into ``item._nodeid``; pytest 9 keeps node ids in ``item._id``, so that write
    # is lost and every group would be spread over the workers (each grading the same class
    # again). The suffix is written where pytest reads it.
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        groups = sorted({str(m.args[0]) for m in item.iter_markers("xdist_group") if m.args})
        if groups and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(groups)}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _MODULE_CPU:
        return
    total = sum(_MODULE_CPU.values())
    terminalreporter.section("CPU time by test module (its processes and those it waited for)")
    for module, seconds in sorted(_MODULE_CPU.items(), key=lambda kv: -kv[1])[:CPU_SUMMARY_LINES]:
        terminalreporter.write_line(f"{seconds:8.1f} s  {module}")
    terminalreporter.write_line(f"{total:8.1f} s  in all ({total / 60:.1f} min)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    budget = config.getoption("--time-budget")
    if _is_worker(config) or budget is None or _STARTED not in config.stash:
        return
    took = time.monotonic() - config.stash[_STARTED]
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if took > budget:
        if reporter is not None:
            reporter.write_line(
                f"The suite took {took / 60:.1f} min, over its budget of {budget / 60:.0f} min: "
                "see the slowest tests above.",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter is not None:
        reporter.write_line(f"The suite took {took / 60:.1f} min (budget {budget / 60:.0f} min).")


@pytest.fixture(scope="session")
def paths() -> CoursePaths:
    return course_paths()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def scratch_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where each exercise's class is graded (once per session, shared by test modules)."""
    return tmp_path_factory.mktemp("graded")
