"""``advpy check NOTEBOOK``: grade your own exercise notebook in a terminal.

Runs the notebook top to bottom in a fresh kernel (cell tags are ignored, as in grading) and
reports every test cell: passed or failed, why, and the points. The exit status is 0 only when
every test cell passed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode

from .grade.nbgrader_settings import CELL_TIMEOUT
from .grade.preprocessors import StripCellTags, short_error_text


class CheckError(Exception):
    """The notebook cannot be checked; the message says why and what to do."""


@dataclass(frozen=True)
class CellResult:
    """One test cell's outcome."""

    grade_id: str
    points: float
    earned: float
    error: str | None  # "Name: message" when the cell failed


def load_exercise(path: Path) -> NotebookNode:
    """Read ``path`` as an exercise notebook, or raise :class:`CheckError` saying what is wrong."""
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
    if not any(_is_test_cell(cell) for cell in notebook.cells):
        raise CheckError(f"{path} has no graded test cells: is it an exercise notebook?")
    return notebook


def _is_test_cell(cell: NotebookNode) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.get("cell_type") == "code" and bool(meta.get("grade"))


def run_checks(path: Path, timeout: int = CELL_TIMEOUT) -> list[CellResult]:
    """Execute the notebook in a fresh kernel and score each test cell as nbgrader would."""
    notebook = load_exercise(path)
    StripCellTags().preprocess(notebook, {})
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    try:
        # The kernel's own start-up warnings are not the learner's business.
        client.execute(stderr=subprocess.DEVNULL)
    except (DeadKernelError, CellTimeoutError) as error:
        raise CheckError(f"the kernel stopped while running {path.name}: {error}") from error
    return [_score(cell) for cell in notebook.cells if _is_test_cell(cell)]


def _score(cell: NotebookNode) -> CellResult:
    meta = cell.metadata["nbgrader"]
    points = float(meta.get("points", 0))
    outputs = cell.get("outputs", [])
    errors = [o for o in outputs if o.get("output_type") == "error"]
    if errors:
        return CellResult(meta["grade_id"], points, 0.0, short_error_text(errors[0]))
    # nbgrader scores a test cell that wrote to standard error 0, as if it had failed.
    warnings = [
        o for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"
    ]
    if warnings:
        first = "".join(warnings[0].get("text", "")).strip().splitlines()[:1]
        said = f": {first[0][:200]}" if first else ""
        return CellResult(
            meta["grade_id"],
            points,
            0.0,
            f"the check printed to standard error, which counts as a failure{said}",
        )
    return CellResult(meta["grade_id"], points, points, None)


def format_report(path: Path, results: list[CellResult]) -> str:
    """The per-check report printed by ``advpy check``."""
    width = max(len(r.grade_id) for r in results)
    lines = [f"Checking {path.name} (visible tests only; hidden tests run when graded)", ""]
    for r in results:
        mark = "PASS" if r.error is None else "FAIL"
        lines.append(f"  {mark}  {r.grade_id:<{width}}  {r.earned:g}/{r.points:g} points")
        if r.error:
            for line in r.error.splitlines():
                lines.append(f"        {line}")
    earned = sum(r.earned for r in results)
    total = sum(r.points for r in results)
    passed = sum(r.error is None for r in results)
    lines += ["", f"{passed} of {len(results)} checks passed: {earned:g}/{total:g} points"]
    return "\n".join(lines)


def kernel_available() -> bool:
    """True when a ``python3`` Jupyter kernel can be started."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return False
    return shutil.which(spec.argv[0]) is not None
