"""The lesson's figures: histories as timelines, stale reads against R + W, a Raft run's terms,
and the writes around an etcd leader's death. Each takes records and returns ``(fig, ax)``."""

from __future__ import annotations

from typing import Any, cast

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from advpy.lessons.consensus.failover import Failover
from advpy.lessons.consensus.histories import Op, processes
from advpy.lessons.consensus.quorum import QuorumResult
from advpy.lessons.context import machine
from advpy.lessons.plotting import STYLE, new_figure

KIND_COLORS = {"write": "#d62728", "read": "#1f77b4"}
ROLE_MARKERS = {"follower": ".", "candidate": "^", "leader": "*"}


def draw_history(ax: Axes, history: list[Op], title: str) -> None:
    """One history on ``ax``: a row per process, a bar per operation from start to end."""
    rows = processes(history)
    for o in history:
        y = len(rows) - 1 - rows.index(o["process"])
        ax.plot([o["start"], o["end"]], [y, y], color=KIND_COLORS[o["kind"]], lw=6, alpha=0.8)
        label = f"w({o['value']})" if o["kind"] == "write" else f"r→{o['value']}"
        ax.text((o["start"] + o["end"]) / 2, y + 0.28, label, ha="center", fontsize=9)
    ax.set_yticks(range(len(rows)), list(reversed(rows)))
    ax.set_ylim(-0.6, len(rows) - 0.2)
    ax.set_title(title, fontsize=10, loc="left")
    ax.grid(False)


def plot_histories(histories: dict[str, list[Op]]) -> tuple[Figure, Any]:
    """Every history as a timeline, one under the other (red: writes, blue: reads)."""
    with plt.rc_context(cast(Any, STYLE)):
        fig, grid = plt.subplots(nrows=len(histories), figsize=(8, 1.9 * len(histories)))
    axes: Any = grid  # several rows: an array of Axes
    fig.text(0.99, 0.005, machine().label(), ha="right", va="bottom", fontsize=8, alpha=0.7)
    for ax, (name, history) in zip(axes, histories.items(), strict=True):
        draw_history(ax, history, name)
    axes[-1].set_xlabel("time")
    fig.suptitle("Histories of one register (red: writes, blue: reads)")
    fig.subplots_adjust(hspace=0.7, bottom=0.06, top=0.94)
    return fig, axes


def plot_quorums(results: list[QuorumResult]) -> tuple[Figure, Axes]:
    """The share of stale reads against R + W, one series per N, each N's line R + W = N + 1."""
    fig, ax = new_figure("Stale reads and quorum size", "R + W", "stale reads (%)")
    for n, color in zip(sorted({r.n for r in results}), ("#1f77b4", "#d62728"), strict=False):
        mine = [r for r in results if r.n == n]
        ax.scatter(
            [r.r + r.w for r in mine],
            [100 * r.stale_share for r in mine],
            color=color,
            alpha=0.7,
            label=f"N = {n} (each dot one R, W)",
        )
        ax.axvline(n + 0.5, color=color, ls="--", lw=1)
        ax.text(
            n + 0.55, ax.get_ylim()[1] * 0.9 if ax.get_ylim()[1] else 1, f"R+W>{n}", color=color
        )
    ax.legend()
    return fig, ax


def plot_raft(trace: list[dict[str, Any]]) -> tuple[Figure, Axes]:
    """Each node's term over a run; the marker says its role (dot follower, triangle
    candidate, star leader)."""
    fig, ax = new_figure("A Raft run: terms and roles", "tick", "term")
    names = list(trace[0]["nodes"])
    for k, name in enumerate(names):
        times = [s["time"] for s in trace]
        terms = [s["nodes"][name]["term"] + 0.08 * (k - 1) for s in trace]
        line = ax.plot(times, terms, lw=1, label=name)[0]
        for role, marker in ROLE_MARKERS.items():
            points = [
                (s["time"], s["nodes"][name]["term"] + 0.08 * (k - 1))
                for s in trace
                if s["nodes"][name]["role"] == role
            ]
            if points and role != "follower":
                xs, ys = zip(*points, strict=True)
                ax.scatter(
                    xs, ys, marker=marker, color=line.get_color(), s=40 if role == "leader" else 25
                )
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(title="star: leader, triangle: candidate", loc="lower right")
    return fig, ax


def plot_failover(run: Failover) -> tuple[Figure, Axes]:
    """Every write's latency at the time it started; failed ones in red; the kill and the new
    leader as vertical lines."""
    fig, ax = new_figure(
        "Writes while the etcd leader dies", "time since the first write (s)", "latency (ms)"
    )
    ok = run.acked
    ax.scatter(
        [a.start for a in ok], [1000 * (a.end - a.start) for a in ok], s=10, label="acknowledged"
    )
    bad = run.failed
    if bad:
        ax.scatter(
            [a.start for a in bad],
            [1000 * (a.end - a.start) for a in bad],
            s=30,
            color="#d62728",
            marker="x",
            label="error",
        )
    ax.axvline(run.killed_at, color="k", ls="--", lw=1, label=f"leader {run.killed} killed")
    if run.elected_at is not None:
        ax.axvline(run.elected_at, color="#2ca02c", ls=":", lw=1.5, label=f"{run.new_leader} leads")
    ax.set_yscale("log")
    ax.legend()
    return fig, ax
