"""The scopes lesson's figure: the cost of one name lookup, by scope."""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure
from advpy.lessons.scopes.lookups import CALL, KINDS, LookupRecord

#: One colour per scope, in LEGB order.
KIND_COLORS = {
    "local": COLORS["after"],
    "enclosing": COLORS["generator"],
    "global": COLORS["threads"],
    "built-in": COLORS["list"],
    CALL: COLORS["ideal"],
}
_LABELS = {CALL: "len(value)\n(a call,\nfor scale)"}


def plot_lookups(records: Iterable[LookupRecord]) -> tuple[Figure, Axes]:
    """Nanoseconds per lookup of a name in each scope (horizontal bars, LEGB from the top), and
    a call of ``len`` for scale when it was measured."""
    records = list(records)
    order = [k for k in KINDS if any(r.kind == k for r in records)]
    order += [r.kind for r in records if r.kind not in order]
    cost = {r.kind: r.ns_per_lookup for r in records}
    passes = records[0].passes if records else 0
    fig, ax = new_figure(
        f"Reading one name in a hot loop ({passes:,} passes of 10 reads)",
        "time per read or call (ns, the loop's own cost subtracted)",
        "",
    )
    positions = list(range(len(order)))[::-1]
    bars = ax.barh(
        positions,
        [cost[k] for k in order],
        color=[KIND_COLORS.get(k, COLORS["ideal"]) for k in order],
        height=0.6,
    )
    ax.set_yticks(positions)
    ax.set_yticklabels([_LABELS.get(k, k) for k in order])
    ax.grid(axis="y", visible=False)
    ax.bar_label(
        bars,
        labels=[f"{cost[k]:.1f} ns" if k == CALL else f"{cost[k]:.2f} ns" for k in order],
        padding=4,
        fontsize=9,
    )
    ax.set_xlim(0, max(cost.values(), default=1.0) * 1.25)
    fig.subplots_adjust(left=0.16)
    return fig, ax
