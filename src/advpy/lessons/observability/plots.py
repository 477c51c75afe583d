"""The lesson's pictures: the dashboard Grafana would draw, a trace as a waterfall, and the
burn rate against the alert's threshold."""

from __future__ import annotations

import math
from typing import Any, cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.context import machine
from advpy.lessons.observability.metrics import PANELS
from advpy.lessons.plotting import STYLE, new_figure

#: One colour per service, in every picture.
SERVICE_COLORS = {"shop": "#1f77b4", "stock": "#ff7f0e"}


def plot_dashboard(
    panels: dict[str, dict[str, list[tuple[float, float]]]], start: float
) -> tuple[Figure, Any]:
    """Four panels side by side in a 2 x 2 grid, one line per service, time from ``start``."""
    with plt.rc_context(cast(Any, STYLE)):
        fig, axes = plt.subplots(2, 2, figsize=(10, 6.4), sharex=True)
    fig.text(0.99, 0.01, machine().label(), ha="right", va="bottom", fontsize=8, alpha=0.7)
    fig.suptitle("The shop's dashboard, from PromQL over Prometheus's HTTP API")
    for ax, (title, by_job) in zip(axes.flat, panels.items(), strict=False):
        unit = PANELS[title][0]
        for job, points in sorted(by_job.items()):
            xs = [t - start for t, _ in points]
            ys = [v if math.isfinite(v) else np.nan for _, v in points]
            ax.plot(xs, ys, label=job, color=SERVICE_COLORS.get(job), linewidth=1.5)
        ax.set_title(f"{title} ({unit})", fontsize=10)
        ax.legend(fontsize=8)
    for ax in axes[1]:
        ax.set_xlabel("seconds since the traffic started")
    fig.subplots_adjust(hspace=0.3, bottom=0.12)
    return fig, axes


def plot_waterfall(spans: list[dict[str, Any]]) -> tuple[Figure, Axes]:
    """One trace's spans as bars on a time line, parents above their children."""
    by_id = {s["span_id"]: s for s in spans}

    def depth(span: dict[str, Any]) -> int:
        parent = by_id.get(span["parent_id"] or "")
        return 0 if parent is None else 1 + depth(parent)

    ordered = sorted(spans, key=lambda s: (s["start_ns"], depth(s)))
    origin = min(s["start_ns"] for s in spans)
    fig, ax = new_figure(
        f"One request across two services (trace {spans[0]['trace_id'][:8]}...)",
        "milliseconds since the request arrived",
        "",
    )
    for row, span in enumerate(ordered):
        start = (span["start_ns"] - origin) / 1e6
        width = (span["end_ns"] - span["start_ns"]) / 1e6
        color = SERVICE_COLORS.get(span["service"], "#7f7f7f")
        ax.barh(
            row, width, left=start, color=color, edgecolor="#d62728" if span["error"] else color
        )
        label = f"{'  ' * depth(span)}{span['service']}: {span['name']}"
        ax.text(start, row - 0.42, f"{label}  ({width:.1f} ms)", fontsize=8, va="bottom")
    ax.set_yticks([])
    ax.set_ylim(len(ordered) - 0.4, -0.8)
    ax.grid(axis="y", visible=False)
    return fig, ax


def plot_burn_rate(
    series: dict[str, list[tuple[float, float]]],
    start: float,
    threshold: float,
    fired_at: float | None,
) -> tuple[Figure, Axes]:
    """The burn rate over the long and the short window, the threshold, and when it fired."""
    fig, ax = new_figure(
        "Burn rate of the shop's error budget", "seconds since the traffic started", "burn rate"
    )
    for name, points in series.items():
        ax.plot([t - start for t, _ in points], [v for _, v in points], label=name)
    ax.axhline(threshold, color="#d62728", linestyle="--", label=f"page above {threshold:g}")
    if fired_at is not None:
        ax.axvline(fired_at - start, color="#7f7f7f", linestyle=":", label="alert firing")
    ax.legend()
    return fig, ax
