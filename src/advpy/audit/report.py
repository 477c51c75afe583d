"""The audit's report: a Markdown summary with what to do about each finding, and a bar chart
of kill ratios per set, under ``reports/audit/`` of the course."""

from __future__ import annotations

from pathlib import Path

from advpy.audit.audit_file import entry
from advpy.audit.runner import SetAudit


def summary_lines(audits: list[SetAudit]) -> list[str]:
    """One line per set, for the terminal and the report's table."""
    lines = []
    for audit in audits:
        verdict = "ok" if audit.ok else "FAILS"
        lines.append(
            f"{audit.assignment}: {len(audit.mutants)} mutants, {len(audit.killed)} killed, "
            f"{len(audit.equivalent)} equivalent, {len(audit.unresolved)} unresolved, "
            f"{len(audit.unstable)} unstable; kill ratio {audit.kill_ratio:.0%} ({verdict})"
        )
    return lines


def findings(audit: SetAudit) -> list[str]:
    """What must be done about one set, in Markdown (empty when nothing)."""
    lines: list[str] = []
    if not audit.reference.full_marks:
        scores = ", ".join(f"{s:g}" for s in audit.reference.scores)
        lines.append(
            f"- The reference solution lost points ({scores} of {audit.reference.max_score:g}): "
            "fix the set before reading anything else here."
        )
    for graded in audit.unstable:
        scores = ", ".join(f"{s:g}" for s in graded.scores)
        lines.append(
            f"- `{graded.submission.student}` scored differently in each run ({scores}): a "
            "check draws inputs or times code in a way that is not repeatable."
        )
    if audit.unresolved:
        lines.append(
            f"- {len(audit.unresolved)} mutants kept full marks. Kill each with a hidden test (and "
            "add the mistake to the corpus as a wrong answer), or, if it behaves exactly like "
            f"the reference, list it in `{audit.audit_file.path.name}` under `[equivalent]`:"
        )
        lines.append("")
        lines.append("```toml")
        lines += [entry(audit.key(g), audit.change(g)) for g in audit.unresolved]
        lines.append("```")
    return lines


def write_report(folder: Path, audits: list[SetAudit]) -> tuple[Path, Path]:
    """Write ``audit.md`` and ``kill_ratios.png`` into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["# Audit of the graded sets", ""]
    lines += [
        "| set | mutants | killed | equivalent | unresolved | unstable | kill ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for a in audits:
        lines.append(
            f"| `{a.assignment}` | {len(a.mutants)} | {len(a.killed)} | {len(a.equivalent)} | "
            f"{len(a.unresolved)} | {len(a.unstable)} | {a.kill_ratio:.0%} |"
        )
    lines += [
        "",
        "A mutant is the reference solution with one small change. **Killed**: it lost points "
        "in every run. **Equivalent**: it kept full marks and the set's audit file says why it "
        "behaves like the reference. **Unresolved**: it kept full marks and nobody has said "
        "why. **Unstable**: a submission (reference, mutant or corpus answer) that scored "
        "differently between runs. The kill ratio counts killed mutants among those that are "
        "not equivalent.",
        "",
    ]
    for a in audits:
        found = findings(a)
        if found:
            lines += [f"## {a.assignment}", "", *found, ""]
    markdown = folder / "audit.md"
    markdown.write_text("\n".join(lines), encoding="utf-8")
    chart = folder / "kill_ratios.png"
    _draw_kill_ratios(chart, audits)
    return markdown, chart


def _draw_kill_ratios(path: Path, audits: list[SetAudit]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [a.assignment for a in audits]
    ratios = [100 * a.kill_ratio for a in audits]
    colors = ["#2a9d8f" if a.ok else "#e76f51" for a in audits]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.6 * len(names) + 2), 4.0), layout="constrained")
    bars = ax.bar(names, ratios, color=colors)
    ax.bar_label(bars, labels=[f"{r:.0f}%" for r in ratios], padding=2, fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_ylabel("killed, % of non-equivalent mutants")
    ax.set_title("Mutants of each reference solution that the hidden tests catch")
    ax.tick_params(axis="x", labelrotation=45)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    fig.savefig(path, dpi=120)
    plt.close(fig)
