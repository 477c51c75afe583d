"""The lesson's figures: image sizes by layer, and a rolling restart's requests by outcome."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.deployment.builds import ImageRecord, layer_table
from advpy.lessons.deployment.runtime import RolloutRecord
from advpy.lessons.plotting import COLORS, new_figure

#: One colour per layer, oldest first (the base image's layer is grey).
LAYER_COLORS = ("#7f7f7f", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")


def plot_image_sizes(records: Mapping[str, ImageRecord]) -> tuple[Figure, Axes]:
    """One horizontal bar per image, split into its layers (MB, oldest layer on the left)."""
    fig, ax = new_figure("Image size by layer", "megabytes (uncompressed)", "")
    names = list(records)
    for row, name in enumerate(names):
        left = 0.0
        for number, (instruction, megabytes) in enumerate(layer_table(records[name])):
            color = LAYER_COLORS[number % len(LAYER_COLORS)]
            ax.barh(row, megabytes, left=left, color=color, edgecolor="white")
            if megabytes > 6:
                imported = number == 0 and instruction.startswith("ADD")
                ax.text(
                    left + megabytes / 2,
                    row,
                    "base image (imported)" if imported else instruction.split()[0],
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=8,
                )
            left += megabytes
        ax.text(left + 1, row, f"{records[name].size / 1e6:.1f} MB", va="center", fontsize=9)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    fig.subplots_adjust(left=0.17)
    ax.set_xlim(0, max(r.size for r in records.values()) / 1e6 * 1.18)
    return fig, ax


def plot_rollouts(records: Sequence[RolloutRecord]) -> tuple[Figure, Axes]:
    """Requests dropped during each rolling restart, one bar per mode, with how many were sent
    and how long the old replicas took to stop."""
    fig, ax = new_figure(
        "Requests dropped during a rolling restart", "how the app meets SIGTERM", "requests dropped"
    )
    modes = [record.mode for record in records]
    dropped = [record.dropped for record in records]
    ax.bar(modes, dropped, color=COLORS["before"])
    top = max([*dropped, 1])
    for x, record in enumerate(records):
        slowest = max(record.stop_seconds, default=0.0)
        note = f"{record.dropped} of {record.sent} sent\nslowest stop {slowest:.1f} s"
        ax.text(x, record.dropped + top * 0.03, note, ha="center", va="bottom", fontsize=9)
    ax.set_ylim(0, top * 1.4)
    return fig, ax
