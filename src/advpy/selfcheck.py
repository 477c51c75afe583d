"""``advpy check NOTEBOOK``: grade your own exercise notebook in a terminal.

Runs the notebook top to bottom in a fresh kernel (cell tags are ignored, as in grading) and
reports every test cell: passed or failed, why, and the points. The exit status is 0 only when
every test cell passed. The result is then recorded in the learner's local progress store
(:mod:`advpy.progress`), which ``advpy progress`` and the start-here notebook read.

:func:`run_checks` is the one way a notebook is checked; :mod:`advpy.selfcheck_warm` runs the
same function in a warm server, with kernels forked instead of started. The libraries it needs
are imported when it runs, so that ``advpy check`` can reach the warm server without loading
them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advpy.course.nbgrader_settings import CELL_TIMEOUT
from advpy.course.scoring import CellResult, is_test_cell, report_lines, score_test_cell
from advpy.progress import VIA_CHECK, CheckRecord, assignment_id, now, record

if TYPE_CHECKING:
    from nbformat import NotebookNode


class CheckError(Exception):
    """The notebook cannot be checked; the message says why and what to do."""


def load_exercise(path: Path) -> NotebookNode:
    """Read ``path`` as an exercise notebook, or raise :class:`CheckError` saying what is wrong."""
    import nbformat

    if not path.exists():
        raise CheckError(f"{path}: no such file")
    if path.is_dir():
        raise CheckError(f"{path} is a folder; give the exercise notebook (.ipynb) inside it")
    if path.suffix != ".ipynb":
        raise CheckError(f"{path} is not a notebook (.ipynb)")
    try:
        json.loads(path.read_text(encoding="utf-8"))
        notebook = nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CheckError(
            f"{path} is not valid notebook JSON ({error}); restore it from a "
            "backup or the course's copy in notebooks/exercises/"
        ) from error
    except Exception as error:  # nbformat raises several kinds for a broken file
        raise CheckError(f"{path} cannot be read as a notebook ({error})") from error
    if not any(is_test_cell(cell) for cell in notebook.cells):
        raise CheckError(f"{path} has no graded test cells: is it an exercise notebook?")
    return notebook


def run_checks(
    path: Path,
    timeout: int = CELL_TIMEOUT,
    kernel_manager_class: Any = None,
    on_scored: Callable[[list[CellResult]], None] | None = None,
) -> list[CellResult]:
    """Execute the notebook in a fresh kernel and score each test cell as nbgrader would.

    ``kernel_manager_class`` replaces nbclient's kernel manager (the warm server's forks
    kernels; see :mod:`advpy.selfcheck_warm.launch`). ``on_scored``, if given, gets the
    results as soon as the last cell has run, before the kernel is shut down.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from advpy.course.kernel_client import SteadyNotebookClient
    from advpy.course.preprocessors import StripCellTags

    notebook = load_exercise(path)
    StripCellTags().preprocess(notebook, {})
    options: dict[str, Any] = {}
    if kernel_manager_class is not None:
        options["kernel_manager_class"] = kernel_manager_class
    if on_scored is not None:
        options["on_cell_executed"] = _when_last_cell_ran(notebook, on_scored)
    client = SteadyNotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        **options,
    )
    try:
        # The kernel's own start-up warnings are not the learner's business.
        client.execute(stderr=subprocess.DEVNULL)
    except (DeadKernelError, CellTimeoutError) as error:
        raise CheckError(f"the kernel stopped while running {path.name}: {error}") from error
    return [score_test_cell(cell) for cell in notebook.cells if is_test_cell(cell)]


def _when_last_cell_ran(
    notebook: NotebookNode, on_scored: Callable[[list[CellResult]], None]
) -> Callable[..., None]:
    """An nbclient ``on_cell_executed`` hook that scores the test cells once the notebook's
    last cell that runs has run (nothing after it changes a cell's outputs)."""
    runs = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and cell.source.strip()
    ]
    last = runs[-1] if runs else -1

    def executed(cell: NotebookNode, cell_index: int, **_: Any) -> None:
        if cell_index == last:
            on_scored([score_test_cell(c) for c in notebook.cells if is_test_cell(c)])

    return executed


def format_report(path: Path, results: list[CellResult]) -> str:
    """The report printed by ``advpy check``: a header, then :func:`report_lines`."""
    header = f"Checking {path.name} (visible tests only; hidden tests run when graded)"
    return "\n".join([header, "", *report_lines(results)])


def kernel_available() -> bool:
    """True when a ``python3`` Jupyter kernel can be started."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return False
    return shutil.which(spec.argv[0]) is not None


def check_record(path: Path, results: Sequence[CellResult], via: str = VIA_CHECK) -> CheckRecord:
    """What a self-check of the notebook at ``path`` scored, as the progress store keeps it."""
    return CheckRecord(
        assignment=assignment_id(path),
        earned=sum(r.earned for r in results),
        possible=sum(r.points for r in results),
        passed=sum(r.passed for r in results),
        total=len(results),
        checked_at=now(),
        notebook=str(path.resolve()),
        via=via,
    )


def record_check(path: Path, results: Sequence[CellResult], store: Path | None = None) -> Path:
    """Record an ``advpy check`` result in the progress store; return the store's path.

    Raises :class:`advpy.progress.ProgressError` when the store is damaged or locked.
    """
    return record(check_record(path, results), store)
