"""The corpus of answers under tests/corpus/: for each exercise, correct alternatives and
plausible wrong answers that the hidden tests must tell apart.

A file ``correct_*.py`` must score full marks. A file ``wrong_*.py`` must lose points; its first
line may name the test cells that must score 0 (``# fails: grade_id, grade_id``). An exercise
with several answer cells keeps one file per cell in a folder named like the answer, holding
``<answer grade id>.py`` files.
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
