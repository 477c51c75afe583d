"""The corpus of answers under tests/corpus/: for each exercise, correct alternatives and
plausible wrong answers that the hidden tests must tell apart.

A file ``correct_*.py`` must score full marks. A file ``wrong_*.py`` must lose points; its first
line may name the test cells that must score 0 (``# fails: grade_id, grade_id``). An exercise
with several answer cells keeps each answer in a folder named like the answer, holding one
``<answer grade id>.py`` file for each cell the answer changes; the cells it leaves out take
the reference solution (see :meth:`CorpusAnswer.cells`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"


@dataclass(frozen=True)
class CorpusAnswer:
    """One answer of the corpus."""

    assignment: str
    name: str  # file stem: correct_* or wrong_*
    code: dict[str, str]  # answer cell grade id -> code ("" = the only answer cell)
    must_fail: tuple[str, ...] = field(default=())

    @property
    def correct(self) -> bool:
        return self.name.startswith("correct_")

    def cells(self, answer_ids: list[str], reference: dict[str, str]) -> dict[str, str]:
        """The code of every answer cell (by grade id): a single-file answer fills the only
        answer cell; a folder's cells come from its files, and the reference for the rest."""
        if "" in self.code:
            return {answer_ids[0]: self.code[""]}
        return {grade_id: self.code.get(grade_id, reference[grade_id]) for grade_id in answer_ids}


def _must_fail(text: str) -> tuple[str, ...]:
    first = text.splitlines()[0] if text else ""
    if first.startswith("# fails:"):
        return tuple(
            part.strip() for part in first.removeprefix("# fails:").split(",") if part.strip()
        )
    return ()


def corpus_answers(assignment: str) -> list[CorpusAnswer]:
    """Every corpus answer for ``assignment`` (empty when it has no corpus)."""
    folder = CORPUS / assignment
    answers = []
    for entry in sorted(folder.glob("*")) if folder.is_dir() else []:
        if not entry.name.startswith(("correct_", "wrong_")):
            continue
        if entry.is_dir():
            code = {p.stem: p.read_text() for p in sorted(entry.glob("*.py"))}
            fails_file = entry / "FAILS"
            must_fail = _must_fail(fails_file.read_text()) if fails_file.exists() else ()
            answers.append(CorpusAnswer(assignment, entry.name, code, must_fail))
        elif entry.suffix == ".py":
            text = entry.read_text()
            answers.append(CorpusAnswer(assignment, entry.stem, {"": text}, _must_fail(text)))
    return answers
