"""The GIL lesson's interactive panel: pick a task, a work size and a worker count; the panel
re-runs the measurement and redraws the speed-up plot.

The plot is drawn with matplotlib, saved as a PNG and shown in an ``ipywidgets.Output`` area
(CSS class ``advpy-gil-panel``), so it renders the same whatever matplotlib backend the kernel
uses. Every change of a control re-measures; the measurement is kept small (the best of a few
short runs per point) so that a redraw takes a second or two.
"""

from __future__ import annotations

import functools
import io
import time
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import Image, display

from advpy.lessons.context import machine
from advpy.lessons.gil.measure import SpeedupRecord, Task, measure_speedup, worker_counts
from advpy.lessons.gil.plots import plot_speedup
from advpy.lessons.gil.slow_server import SlowServer
from advpy.lessons.gil.workloads import fetch_many, numpy_work, pure_python_work
from advpy.lessons.timing import load_note

#: Task kinds: (label shown in the menu, amount of work in the smallest job, unit of that amount)
TASKS = {
    "cpu": ("CPU-bound: pure Python", 500_000, "loop steps"),
    "io": ("I/O-bound: slow HTTP requests", 8, "requests"),
    "numpy": ("NumPy: releases the GIL", 40, "rounds of sin over 100 000 numbers"),
}
#: Work sizes: how many times the smallest job.
SIZES = {"×1": 1, "×2": 2, "×3": 3}
#: Runs per point; the plot shows the fastest (the least disturbed by other programs).
REPEATS = 3
#: Seconds the panel's own HTTP server waits before answering each request.
IO_DELAY = 0.01
#: CSS class of the output area that holds the plot.
CSS_CLASS = "advpy-gil-panel"


class GilPanel:
    """Controls, a status line and a plot; any change of a control re-measures and redraws."""

    def __init__(self, *, task: str = "cpu", size: int = 1, workers: int | None = None) -> None:
        cores = machine().cores
        most = worker_counts(cores)[-1]  # twice the cores, at most 8
        self.task = widgets.Dropdown(
            options=[(label, key) for key, (label, _, _) in TASKS.items()],
            value=task,
            description="task",
        )
        self.size = widgets.Dropdown(
            options=list(SIZES.items()), value=size, description="work size"
        )
        self.workers = widgets.IntSlider(
            value=min(most, workers or cores),
            min=1,
            max=most,
            description="workers",
            continuous_update=False,
        )
        self.again = widgets.Button(description="Measure again", icon="refresh")
        self.status = widgets.HTML()
        self.output = widgets.Output()
        self.output.add_class(CSS_CLASS)
        controls = widgets.HBox([self.task, self.size, self.workers, self.again])
        controls.add_class("advpy-gil-controls")
        self.widget = widgets.VBox([controls, self.status, self.output])
        for control in (self.task, self.size, self.workers):
            control.observe(self._on_change, names="value")
        self.again.on_click(self._on_click)
        self.records: list[SpeedupRecord] = []
        self.png = b""
        self.redraws = 0
        self.last_error: str | None = None
        self._server: SlowServer | None = None

    def job(self) -> tuple[Task, int, str]:
        """The task function, the total amount of work, and a description of the job."""
        kind = self.task.value
        label, smallest, unit = TASKS[kind]
        total = smallest * int(self.size.value)
        task: Task
        if kind == "cpu":
            task = pure_python_work
        elif kind == "numpy":
            task = numpy_work
        else:
            if self._server is None:
                self._server = SlowServer(delay=IO_DELAY).start()
            task = functools.partial(fetch_many, self._server.url)
        return task, total, f"{label} - a job of {total:,} {unit}"

    def measure(self) -> list[SpeedupRecord]:
        """Run the job with 1 up to the chosen number of threads and of processes."""
        task, total, _ = self.job()
        label = TASKS[self.task.value][0]
        workers = range(1, self.workers.value + 1)
        return measure_speedup(task, total, workers, repeats=REPEATS, name=label)

    def redraw(self) -> None:
        """Measure, draw, and show the new plot in the output area."""
        _, _, description = self.job()
        self.status.value = f"<i>Measuring: {description} ...</i>"
        started = time.perf_counter()
        try:
            records = self.measure()
        except Exception as error:  # shown to the reader instead of a silent dead panel
            self.last_error = f"{type(error).__name__}: {error}"
            self.status.value = f"<b>The measurement failed:</b> {self.last_error}"
            return
        self.last_error = None
        self.records = records
        title = f"{TASKS[self.task.value][0]} (job ×{self.size.value})"
        fig, _ = plot_speedup(records, title=title)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        self.png = buffer.getvalue()
        self.redraws += 1
        baseline = records[0].baseline_seconds
        best = {
            kind: max(r.speedup for r in records if r.executor == kind)
            for kind in ("threads", "processes")
        }
        self.status.value = (
            f"{description}. One plain call: {baseline * 1000:.0f} ms. Best speed-up: threads "
            f"×{best['threads']:.2f}, processes ×{best['processes']:.2f}. "
            f"(Best of {REPEATS} runs per point; measured in "
            f"{time.perf_counter() - started:.1f} s.) {load_note()}"
        )
        with self.output:
            self.output.clear_output(wait=True)
            display(Image(data=self.png, format="png"))

    def close(self) -> None:
        """Stop the panel's HTTP server, if it started one."""
        if self._server is not None:
            self._server.stop()
            self._server = None

    def _on_change(self, change: dict[str, Any]) -> None:
        self.redraw()

    def _on_click(self, button: widgets.Button) -> None:
        self.redraw()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def gil_panel(**options: Any) -> GilPanel:
    """A :class:`GilPanel` with its first plot already drawn; display it as a cell's result."""
    panel = GilPanel(**options)
    panel.redraw()
    return panel
