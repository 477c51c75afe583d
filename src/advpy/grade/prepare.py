"""Turn a submitted notebook into the notebook that is run: the instructor's cells put back
exactly as the gradebook knows them, whatever the learner did to them.

nbgrader's sanitizing preprocessors (``ClearOutput``, ``DeduplicateIds``,
``OverwriteKernelspec``, ``OverwriteCells``) do most of this for an honest notebook, and the
result here is the same for one. They leave gaps for a hostile or damaged one, closed here:
every cell whose grade id the gradebook knows gets the source version's metadata back (a test
cell cannot be demoted, re-pointed, turned into an answer, or have its points changed) and,
unless it is an answer cell, its source back; tags are dropped; a duplicated grade id keeps the
last copy (as nbgrader does) without leaving an empty metadata block that aborts the batch; a
deleted test cell is put back after the nearest earlier cell of the source that is still there.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells


@dataclass(frozen=True)
class SourceCell:
    """A cell of the instructor's version, as the gradebook stores it."""

    name: str
    cell_type: str
    source: str
    locked: bool
    checksum: str | None


@dataclass(frozen=True)
class NotebookTruth:
    """What the gradebook knows about one notebook of an assignment."""

    name: str
    cells: tuple[SourceCell, ...]  # in the gradebook's order
    points: dict[str, float]  # grade cells (and task cells): grade id -> max score
    grade_ids: frozenset[str]
    solution_ids: frozenset[str]
    task_ids: frozenset[str]
    kernelspec: dict[str, Any] | None

    def cell(self, grade_id: str) -> SourceCell | None:
        for cell in self.cells:
            if cell.name == grade_id:
                return cell
        return None

    def test_cell_ids(self) -> list[str]:
        """Grade ids of the automatically graded code cells, in source order."""
        automatic = self.grade_ids - self.solution_ids
        return [c.name for c in self.cells if c.name in automatic and c.cell_type == "code"]


@dataclass
class Prepared:
    """A notebook ready to run, and what had to be put right in it."""

    notebook: NotebookNode
    notes: list[str] = field(default_factory=list)

    def code_cells(self) -> list[tuple[int, str, bool]]:
        """(index, source, trusted) for each code cell: trusted cells are the instructor's
        (locked in the source version), run through the grader's trusted path."""
        cells = []
        for index, cell in enumerate(self.notebook.cells):
            if cell.cell_type != "code":
                continue
            meta = cell.metadata.get("nbgrader", {})
            trusted = bool(meta.get("locked")) and not meta.get("solution")
            cells.append((index, cell.source, trusted))
        return cells

    def test_cells(self) -> list[int]:
        """The index of each test cell: a code cell the instructor grades automatically (its
        grade id is the gradebook's, put back by :func:`prepare`)."""
        return [
            index
            for index, cell in enumerate(self.notebook.cells)
            if cell.cell_type == "code"
            and cell.metadata.get("nbgrader", {}).get("grade")
            and not cell.metadata.get("nbgrader", {}).get("solution")
        ]


def load_truth(db_url: str, assignment: str) -> dict[str, NotebookTruth]:
    """Every notebook of ``assignment`` as the gradebook knows it (one query per table)."""
    from nbgrader.api import Gradebook

    truths: dict[str, NotebookTruth] = {}
    with Gradebook(db_url) as gradebook:
        for notebook in gradebook.find_assignment(assignment).notebooks:
            cells = tuple(
                SourceCell(c.name, c.cell_type, c.source, bool(c.locked), c.checksum)
                for c in notebook.source_cells
            )
            points = {c.name: float(c.max_score) for c in notebook.grade_cells}
            points.update({c.name: float(c.max_score) for c in notebook.task_cells})
            kernelspec = json.loads(notebook.kernelspec) if notebook.kernelspec else None
            truths[notebook.name] = NotebookTruth(
                notebook.name,
                cells,
                points,
                frozenset(c.name for c in notebook.grade_cells),
                frozenset(c.name for c in notebook.solution_cells),
                frozenset(c.name for c in notebook.task_cells),
                kernelspec,
            )
    return truths


def _canonical_meta(truth: NotebookTruth, source: SourceCell) -> dict[str, Any]:
    name = source.name
    meta: dict[str, Any] = {
        "grade": name in truth.grade_ids,
        "grade_id": name,
        "locked": source.locked,
        "schema_version": 3,
        "solution": name in truth.solution_ids,
    }
    if name in truth.task_ids:
        meta["task"] = True
        meta["grade"] = False
    if name in truth.points:
        meta["points"] = truth.points[name]
    if source.checksum:
        meta["checksum"] = source.checksum
    return meta


def _as_released(text: str, source: SourceCell) -> bool:
    """True when ``text`` is the source cell as learners received it (hidden tests removed),
    or the full source cell itself."""
    if text.strip() == source.source.strip():
        return True
    released = new_code_cell(source.source)
    ClearHiddenTests()._remove_hidden_test_region(released)
    return bool(text.strip() == released.source.strip())


def _retype(cell: NotebookNode, cell_type: str) -> NotebookNode:
    if cell.cell_type == cell_type:
        return cell
    fresh = new_code_cell(cell.source) if cell_type == "code" else new_markdown_cell(cell.source)
    fresh.metadata = cell.metadata
    return fresh


def _clear(cell: NotebookNode) -> None:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    for key in ("collapsed", "scrolled", "tags"):
        cell.metadata.pop(key, None)


def prepare(submitted: NotebookNode, truth: NotebookTruth) -> Prepared:
    """The notebook to run for ``submitted``: outputs cleared, the instructor's cells restored,
    missing test cells put back. ``submitted`` is not changed."""
    notebook = copy.deepcopy(submitted)
    notes: list[str] = []
    cells = [c for c in notebook.cells if c.get("cell_type") in ("code", "markdown", "raw")]
    for cell in cells:
        if not isinstance(cell.metadata.get("nbgrader", {}), dict):
            cell.metadata.pop("nbgrader")
    # A copied graded cell: keep the last copy (as nbgrader does); the others become plain
    # cells of the learner's.
    seen: set[str] = set()
    for cell in reversed(cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            cell.metadata.pop("nbgrader", None)
            continue
        if grade_id in seen:
            notes.append(f"cell {grade_id!r} appears more than once; the last copy was graded")
            cell.metadata.pop("nbgrader", None)
        seen.add(grade_id)
    restored: list[NotebookNode] = []
    for cell in cells:
        tags = cell.metadata.get("tags")
        meta = cell.metadata.get("nbgrader")
        if meta is None:
            _clear(cell)
            restored.append(cell)
            continue
        source = truth.cell(str(meta.get("grade_id")))
        if source is None:
            cell.metadata.pop("nbgrader", None)
            _clear(cell)
            restored.append(cell)
            continue
        canonical = _canonical_meta(truth, source)
        keys = ("grade", "solution", "locked", "points", "task")
        changed = [k for k in keys if meta.get(k, False) != canonical.get(k, False)]
        if changed:
            notes.append(f"cell {source.name!r} had its {', '.join(changed)} changed; restored")
        if cell.cell_type != source.cell_type:
            notes.append(f"cell {source.name!r} was turned into a {cell.cell_type} cell; restored")
            cell = _retype(cell, source.cell_type)
        cell.metadata["nbgrader"] = canonical
        if not canonical["solution"]:
            if source.name in truth.grade_ids and not _as_released(cell.source, source):
                notes.append(f"test cell {source.name!r} was edited; the original was restored")
            cell.source = source.source
        if tags and source.name in truth.grade_ids:
            notes.append(f"cell {source.name!r} was tagged {', '.join(map(str, tags))}; ignored")
        _clear(cell)
        restored.append(cell)
    notebook.cells = _add_missing(restored, truth, notes)
    if truth.kernelspec:
        notebook.metadata["kernelspec"] = copy.deepcopy(truth.kernelspec)
    return Prepared(notebook, notes)


def _add_missing(
    cells: list[NotebookNode], truth: NotebookTruth, notes: list[str]
) -> list[NotebookNode]:
    """Put back deleted grade and task cells, each after the nearest earlier cell of the
    source version still present (nbgrader's placement; task cells go at the end)."""
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in cells} - {None}
    maker = OverwriteCells()
    order = [c.name for c in truth.cells]
    for source in truth.cells:
        if source.name in present:
            continue
        if source.name in truth.task_ids:
            is_task, is_solution = True, False
        elif source.name in truth.grade_ids:
            is_task, is_solution = False, source.name in truth.solution_ids
        else:
            continue
        record = SimpleNamespace(
            name=source.name,
            cell_type=source.cell_type,
            locked=source.locked,
            checksum=source.checksum,
            source=source.source,
        )
        cell = maker.missing_cell_transform(
            record, truth.points.get(source.name, 0.0), is_solution=is_solution, is_task=is_task
        )
        cell.metadata["nbgrader"] = _canonical_meta(truth, source)
        if is_solution:
            cell.source = source.source
        notes.append(f"cell {source.name!r} was missing; it was put back")
        position = len(cells) if is_task else 0
        if not is_task:
            for earlier in reversed(order[: order.index(source.name)]):
                indices = [
                    i
                    for i, c in enumerate(cells)
                    if c.metadata.get("nbgrader", {}).get("grade_id") == earlier
                ]
                if indices:
                    position = indices[-1] + 1
                    break
        cells.insert(position, cell)
        present.add(source.name)
    return cells
