"""A steady load of requests against the users service, counted per phase of a migration.

One thread sends requests at a fixed rate, in a repeating mix: create a user, read a user,
rename a user. It remembers what every user is called, so a read is an error when the answer
is not ``200`` *or* names the user wrongly (stale data is an error too). The notebook marks
phases (:meth:`SteadyLoad.phase`) while it changes the schema and the deployment.

Each request opens a connection of its own. A deployment step reloads nginx, whose old workers
then close their idle keep-alive connections; a client that happened to send its next request
on such a connection at that instant would see it dropped, an error of the client's connection
reuse (real clients retry it), not of the migration being measured.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.plotting import COLORS, new_figure


@dataclass(frozen=True)
class Outcome:
    """One request: when it was sent, in which phase, what it did, and whether it went well."""

    at: float
    phase: str
    action: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class PhaseCount:
    """The requests and errors of one phase."""

    phase: str
    requests: int
    errors: int
    seconds: float
    first_error: str


class SteadyLoad:
    """Requests at ``rate`` per second to ``base_url`` from a thread, until :meth:`stop`.

    ``known`` is how many users exist before the load starts (named ``user-1``...)."""

    def __init__(self, base_url: str, rate: float, known: int, seed: int = 13) -> None:
        self.base_url = base_url
        self.interval = 1.0 / rate
        self.names = {n: f"user-{n}" for n in range(1, known + 1)}
        self.random = random.Random(seed)
        self.outcomes: list[Outcome] = []
        self.current = "start"
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="steady-load", daemon=True)
        self._started = time.perf_counter()

    def __enter__(self) -> SteadyLoad:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def phase(self, name: str) -> None:
        """Count the requests sent from now on under ``name``."""
        self.current = name

    def stop(self) -> None:
        """Stop sending and wait for the last request."""
        self._stopping.set()
        self._thread.join()

    def _one(self, http: httpx.Client, step: int) -> tuple[str, bool, str]:
        kind = step % 3
        if kind == 0:
            name = f"new-{step}"
            response = http.post("/users", json={"name": name})
            if response.status_code == 200:
                self.names[response.json()["id"]] = name
            return "create", response.status_code == 200, response.text[:120]
        user = self.random.choice(list(self.names))
        if kind == 1:
            response = http.get(f"/users/{user}")
            if response.status_code != 200:
                return "read", False, response.text[:120]
            got = response.json()["name"]
            expected = self.names[user]
            return "read", got == expected, f"read {got!r}, expected {expected!r}"
        name = f"renamed-{step}"
        response = http.put(f"/users/{user}", json={"name": name})
        if response.status_code == 200:
            self.names[user] = name
        return "rename", response.status_code == 200, response.text[:120]

    def _run(self) -> None:
        fresh = httpx.Limits(max_keepalive_connections=0)
        with httpx.Client(base_url=self.base_url, timeout=10.0, limits=fresh) as http:
            step = 0
            next_at = time.perf_counter()
            while not self._stopping.is_set():
                phase, sent = self.current, time.perf_counter() - self._started
                try:
                    action, ok, detail = self._one(http, step)
                except httpx.HTTPError as error:
                    action, ok, detail = "request", False, f"{type(error).__name__}: {error}"
                self.outcomes.append(Outcome(sent, phase, action, ok, detail))
                step += 1
                next_at += self.interval
                pause = next_at - time.perf_counter()
                if pause > 0:
                    self._stopping.wait(pause)
                else:
                    next_at = time.perf_counter()  # behind: do not burst to catch up


def run_phases(
    load: SteadyLoad, phases: Sequence[tuple[str, Callable[[], object]]], hold: float
) -> None:
    """For each ``(name, action)``: mark the phase, run the action, then keep the load running
    ``hold`` seconds more, so that every phase is measured under traffic."""
    for name, action in phases:
        load.phase(name)
        action()
        time.sleep(hold)


def count_errors(outcomes: Sequence[Outcome]) -> list[PhaseCount]:
    """Requests and errors per phase, phases in the order they began."""
    order: list[str] = []
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        if outcome.phase not in groups:
            order.append(outcome.phase)
            groups[outcome.phase] = []
        groups[outcome.phase].append(outcome)
    counts = []
    for phase in order:
        group = groups[phase]
        errors = [o for o in group if not o.ok]
        counts.append(
            PhaseCount(
                phase,
                len(group),
                len(errors),
                group[-1].at - group[0].at,
                errors[0].detail if errors else "",
            )
        )
    return counts


def plot_errors(counts: Sequence[PhaseCount], title: str) -> tuple[Figure, Axes]:
    """Requests answered correctly and errors, one bar per phase, the first phase on top."""
    fig, ax = new_figure(title, "requests", "")
    rows = list(range(len(counts)))[::-1]
    good = [c.requests - c.errors for c in counts]
    bad = [c.errors for c in counts]
    ax.barh(rows, good, color=COLORS["after"], label="answered correctly")
    ax.barh(rows, bad, left=good, color=COLORS["before"], label="errors (a 500 or a wrong name)")
    for y, g, b in zip(rows, good, bad, strict=True):
        ax.text(g + b, y, f" {b} errors" if b else " 0 errors", va="center", fontsize=9)
    ax.set_yticks(rows, [c.phase for c in counts])
    ax.set_xlim(0, max(g + b for g, b in zip(good, bad, strict=True)) * 1.8)
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, fontsize=9)
    ax.set_title(title, pad=26)
    height = 1.4 + 0.38 * len(counts)
    fig.set_size_inches(8.0, height)
    fig.subplots_adjust(left=0.4, right=0.97, bottom=0.75 / height, top=1 - 0.75 / height)
    return fig, ax
