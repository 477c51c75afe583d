"""Every lesson notebook runs top to bottom in a fresh kernel, in fast mode, leaves nothing in
the temporary folder, and says and measures what its prose promises; every "Try it" links to
its answer."""

from __future__ import annotations

import os
import re
import tempfile
from functools import cache
from pathlib import Path

import nbformat
import pytest

from advpy.course.kernel_client import SteadyNotebookClient
from advpy.course.paths import course_paths, lesson_masters

PATHS = course_paths()
LESSONS = [m.stem for m in lesson_masters(PATHS)]
TRYIT = PATHS.root / "solutions" / "tryit"


#: What each executed lesson left in its kernel's temporary folder, by lesson name.
LEFT_BEHIND: dict[str, list[str]] = {}


def execute_lesson(name: str) -> nbformat.NotebookNode:
    """Execute a lesson notebook like a learner's Run All, in a fresh kernel that inherits this
    process's environment (so fast or full mode follows ``ADVPY_FAST``), with a temporary folder
    of its own; what the lesson leaves there once its kernel has stopped is kept in
    :data:`LEFT_BEHIND`."""
    notebook = nbformat.read(PATHS.notebooks / f"{name}.ipynb", as_version=4)
    client = SteadyNotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(PATHS.notebooks)}},
    )
    with tempfile.TemporaryDirectory(prefix=f"lesson-{name}-") as folder:
        os.chmod(folder, 0o1777)  # like /tmp: servers running as their own user make folders here
        before = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = folder  # read by the kernel when it starts, not by this process
        try:
            client.execute()
        finally:
            if before is None:
                del os.environ["TMPDIR"]
            else:
                os.environ["TMPDIR"] = before
        # pymp-*: multiprocessing's own folder, which it removes at exit unless the kernel is
        # stopped first; not the lesson's doing.
        LEFT_BEHIND[name] = sorted(
            path.name for path in Path(folder).iterdir() if not path.name.startswith("pymp-")
        )
    return notebook


@cache
def run_lesson(name: str) -> nbformat.NotebookNode:
    """The lesson executed in fast mode (once per test session)."""
    env_ok = os.environ.get("ADVPY_FAST") == "1"
    assert env_ok, "the test suite runs lessons in fast mode (ADVPY_FAST=1)"
    return execute_lesson(name)


def printed(notebook: nbformat.NotebookNode) -> str:
    """Everything the notebook's code cells printed to stdout, in order."""
    return "".join(
        output.text
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


def markdown(name: str) -> list[str]:
    notebook = nbformat.read(PATHS.notebooks / f"{name}.ipynb", as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def number(text: str) -> float:
    return float(text.replace(",", ""))


@pytest.mark.slow
@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_clean(name: str) -> None:
    notebook = run_lesson(name)
    errors = [
        o
        for c in notebook.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors, f"{name}: a cell raised {errors[0].ename}: {errors[0].evalue}"
    left = LEFT_BEHIND[name]
    assert not left, f"{name} left these in its temporary folder after its kernel stopped: {left}"


# --- "Try it" answers ---------------------------------------------------------------------------


def github_slug(heading: str) -> str:
    """The anchor GitHub (and most Markdown viewers) give a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("name", LESSONS)
def test_every_try_it_links_to_its_own_answer(name: str) -> None:
    answers = TRYIT / f"{name}.md"
    assert answers.exists(), f"no answers file for {name}"
    headings = re.findall(r"^## (.+)$", answers.read_text(), re.M)
    slugs = [github_slug(h) for h in headings]
    linked = []
    for source in markdown(name):
        if "### Try it" not in source:
            continue
        links = re.findall(r"\]\(\.\./solutions/tryit/([\w.]+)#([\w-]+)\)", source)
        assert len(links) == 1, f"{name}: a Try it without one answer link:\n{source}"
        file, slug = links[0]
        assert file == f"{name}.md", f"{name}: a Try it links to {file}"
        assert slug in slugs, f"{name}: no heading '{slug}' in {answers.name}: {slugs}"
        linked.append(slug)
    assert linked == slugs, f"{name}: Try-its and answer headings differ: {linked} vs {slugs}"


# --- what the lessons say -----------------------------------------------------------------------

RETIRED_CLAIMS = [
    ("notebooks/01_gil.py", "between any two of them"),
    ("notebooks/01_gil.py", "waits for at most the **switch interval**"),
    ("notebooks/01_gil.py", "The GIL is one lock per interpreter"),
    ("notebooks/01_gil.py", "range(1, 2 * CORES + 1)"),
    ("solutions/tryit/01_gil.md", "lower bound on how often threads swap"),
    ("notebooks/02_memory.py", "made the collector incremental, so"),
    ("notebooks/03_generators_async.py", "until the OS has taken the bytes"),
]


@pytest.mark.parametrize(("path", "claim"), RETIRED_CLAIMS)
def test_wrong_claims_stay_out(path: str, claim: str) -> None:
    assert claim not in (PATHS.root / path).read_text(), f"{path} says again: {claim!r}"


def test_lessons_state_the_version_facts_they_teach() -> None:
    gil = " ".join(markdown("01_gil"))
    for fact in ("check points", "3.10", "experimental", "officially", "InterpreterPoolExecutor"):
        assert fact in gil, f"01_gil no longer mentions {fact!r}"
    memory = " ".join(markdown("02_memory"))
    for fact in ("3.14.5", "3.12", "distutils", "setuptools", "gc.freeze()", "lru_cache"):
        assert fact in memory, f"02_memory no longer mentions {fact!r}"
    aio = " ".join(markdown("03_generators_async"))
    for fact in ("# Part A", "# Part B", "high-water mark", "as_completed", "shield"):
        assert fact in aio or fact in (PATHS.notebooks / "03_generators_async.py").read_text()


# --- what the lessons measure (fast mode) -------------------------------------------------------


@pytest.mark.slow
def test_gil_lesson_measures_the_race_the_stall_and_shared_memory() -> None:
    out = printed(run_lesson("01_gil"))
    lost = {
        code: number(count)
        for code, count in re.findall(r"^(counter\.value \+= \S+)\s*:\s*([\d,]+) of", out, re.M)
    }
    assert lost["counter.value += one()"] > 0, "the race with a call lost no update"
    stall = re.search(r"one C call\s*: ran\s+(\d+) ms, longest gap between ticks\s+([\d.]+)", out)
    assert stall, "the lesson no longer prints the stall behind a C call"
    c_call, c_gap = stall.groups()
    assert number(c_gap) >= 0.8 * number(c_call), "the ticker ran during one long C call"
    assert "start-up (ms)" in out
    assert "Read this plot with care" in out or "A second core was free" in out
    shared = re.findall(r"MB, (pickled|shared memory)\s*:", out)
    assert {"pickled", "shared memory"} <= set(shared)


@pytest.mark.slow
def test_memory_lesson_measures_what_cycles_and_caches_keep() -> None:
    out = printed(run_lesson("02_memory"))
    peaks = dict(
        re.findall(
            r"^(session <-> handler cycle|weak back-link, no cycle)\s*: peak\s+([\d,]+) KiB",
            out,
            re.M,
        )
    )
    assert number(peaks["session <-> handler cycle"]) > 10 * number(
        peaks["weak back-link, no cycle"]
    )
    assert "instance freed after del and gc.collect(): False" in out
    assert "freed after cache_clear(): True" in out
    assert re.search(r"the __weakref__ slot costs \d+ bytes each", out)
    assert "full collection" in out


@pytest.mark.slow
def test_async_lesson_measures_back_pressure_and_finds_the_blocking_call() -> None:
    out = printed(run_lesson("03_generators_async"))
    assert re.search(r"^maxsize=5 : at most\s+5 items waiting", out, re.M)
    assert re.search(r"Executing <Task .*blocking_handler", out)
    assert "shield=True: ['caller gave up', 'order saved']" in out
    order = re.findall(r"^(fast|medium|slow)\s+after", out, re.M)
    assert order == ["fast", "medium", "slow"]
