"""What idempotency costs: events applied to a SQLite ledger by the naive and the idempotent
consumer, in-process (no broker), one transaction per event and one per batch, timed; and the
plot of the result."""

from __future__ import annotations

import json
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.events.pipeline import LEDGER_SCHEMA, apply_event
from advpy.lessons.plotting import new_figure


@dataclass(frozen=True)
class ConsumerCost:
    """Microseconds per event for one way of consuming."""

    label: str
    idempotent: bool
    events: int
    us_per_event: float


def _events(count: int) -> list[dict[str, str]]:
    return [
        {
            "payload": json.dumps(
                {"event_id": f"evt-{n}", "customer": f"c{n % 50}", "cents": 100 + n}
            )
        }
        for n in range(count)
    ]


def _time_once(events: list[dict[str, str]], idempotent: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="ledger-") as folder:
        path = Path(folder) / "ledger.db"
        connection = sqlite3.connect(path)
        connection.executescript(LEDGER_SCHEMA)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        started = time.perf_counter()
        for fields in events:
            apply_event(connection, fields, consumer="bench", idempotent=idempotent)
        elapsed = time.perf_counter() - started
        connection.close()
    return elapsed


def measure_consumer_cost(events: int, repeats: int = 3) -> list[ConsumerCost]:
    """Best of ``repeats`` runs of ``events`` events through each consumer, one committed
    transaction per event, interleaved so that a busy moment hits both alike."""
    batch = _events(events)
    best = {False: float("inf"), True: float("inf")}
    for _ in range(repeats):
        for idempotent in (False, True):
            best[idempotent] = min(best[idempotent], _time_once(batch, idempotent))
    return [
        ConsumerCost("naive", False, events, best[False] / events * 1e6),
        ConsumerCost("idempotent", True, events, best[True] / events * 1e6),
    ]


def plot_consumer_cost(
    records: list[ConsumerCost], round_trip_us: float | None = None
) -> tuple[Figure, Axes]:
    """A bar per consumer: microseconds per applied event; with ``round_trip_us``, a grey bar
    for one broker round trip beside them, for scale."""
    fig, ax = new_figure(
        "Applying an event to a SQLite ledger", "", "µs (ledgers: per event, one commit each)"
    )
    labels = [r.label for r in records]
    values = [r.us_per_event for r in records]
    colors = ["#d62728", "#2ca02c"][: len(records)]
    if round_trip_us is not None:
        labels.append("one Redis round trip")
        values.append(round_trip_us)
        colors.append("#7f7f7f")
    bars = ax.bar(labels, values, color=colors)
    ax.bar_label(bars, fmt="%.0f µs")
    ax.set_ylim(0, max(values) * 1.25)
    ax.grid(axis="x", visible=False)
    return fig, ax


def measure_round_trip(client: Any, count: int) -> float:
    """Median microseconds of one ``PING`` to the Redis behind ``client``: the least an
    ``XACK`` or any other broker call costs a consumer per message."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        client.ping()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e6
