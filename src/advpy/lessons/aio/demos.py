"""asyncio demos measured for the generators-and-async lesson.

- :func:`measure_sequential_vs_gather`: N waits one after another vs all at once with
  :func:`asyncio.gather`.
- :func:`measure_semaphore_limits`: many jobs through an :class:`asyncio.Semaphore`, for several
  limits, recording the time taken and the most jobs seen running at once.
- :func:`measure_heartbeat`: a task that wants to run every few milliseconds, next to a blocking
  call made directly in a coroutine (everything stalls) or through :func:`asyncio.to_thread`.
- An echo server on loopback (:func:`start_echo_server`, :func:`running_echo_server`) and a
  client (:func:`echo_round_trip`) built on asyncio streams.

Every ``measure_*`` function is a coroutine: in a notebook, ``await`` it at the top level.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial


class ConcurrencyCounter:
    """Counts how many jobs are inside :meth:`track` right now, and the most ever at once."""

    def __init__(self) -> None:
        self.running = 0
        self.peak = 0
        self.finished = 0

    @contextlib.contextmanager
    def track(self) -> Iterator[None]:
        """Wrap one job's body: ``with counter.track(): await ...``."""
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            yield
        finally:
            self.running -= 1
            self.finished += 1


# --- N waits: one after another, or all at once --------------------------------------------


@dataclass(frozen=True)
class WaitRecord:
    """How long ``waits`` waits took, run ``mode`` ("sequential" or "gather")."""

    mode: str
    waits: int
    seconds: float
    one_wait: float  # how long one wait takes on its own (sets the ideal lines of the plot)


async def measure_sequential_vs_gather(
    make_wait: Callable[[], Awaitable[object]], counts: Iterable[int], one_wait: float
) -> list[WaitRecord]:
    """For each N in ``counts``: await N fresh ``make_wait()`` one by one, then all at once.

    ``one_wait`` is the expected duration of one wait, kept in the records for the plot.
    """
    records = []
    for count in counts:
        start = time.perf_counter()
        for _ in range(count):
            await make_wait()
        records.append(WaitRecord("sequential", count, time.perf_counter() - start, one_wait))
        start = time.perf_counter()
        await asyncio.gather(*(make_wait() for _ in range(count)))
        records.append(WaitRecord("gather", count, time.perf_counter() - start, one_wait))
    return records


async def measure_sleep_waits(counts: Iterable[int], delay: float) -> list[WaitRecord]:
    """:func:`measure_sequential_vs_gather` where each wait is ``asyncio.sleep(delay)``."""
    return await measure_sequential_vs_gather(partial(asyncio.sleep, delay), counts, delay)


# --- a semaphore caps how many jobs run at once --------------------------------------------


@dataclass(frozen=True)
class LimitRecord:
    """``jobs`` jobs of ``job_seconds`` each, at most ``limit`` at once."""

    limit: int
    jobs: int
    job_seconds: float
    seconds: float  # total time for all jobs
    peak: int  # the most jobs seen running at the same moment


async def run_limited(jobs: int, limit: int, job_seconds: float) -> LimitRecord:
    """Start ``jobs`` jobs together; a semaphore lets ``limit`` of them run at a time."""
    semaphore = asyncio.Semaphore(limit)
    counter = ConcurrencyCounter()

    async def job() -> None:
        async with semaphore:
            with counter.track():
                await asyncio.sleep(job_seconds)

    start = time.perf_counter()
    await asyncio.gather(*(job() for _ in range(jobs)))
    elapsed = time.perf_counter() - start
    return LimitRecord(limit, jobs, job_seconds, elapsed, counter.peak)


async def measure_semaphore_limits(
    jobs: int, limits: Iterable[int], job_seconds: float
) -> list[LimitRecord]:
    """:func:`run_limited` for each limit in ``limits``."""
    return [await run_limited(jobs, limit, job_seconds) for limit in limits]


# --- a blocking call stalls the event loop ------------------------------------------------

MODES = ("blocking", "to_thread")


@dataclass(frozen=True)
class HeartbeatRun:
    """When a heartbeat task managed to run while a blocking call was made (``mode``)."""

    mode: str  # "blocking": called in the coroutine; "to_thread": via asyncio.to_thread
    interval: float  # the heartbeat asks to wake up this often (seconds)
    times: tuple[float, ...]  # when each beat ran, in seconds since the start
    gaps: tuple[float, ...]  # seconds since the previous beat
    call_start: float  # when the blocking call started and ended, seconds since the start
    call_end: float

    @property
    def max_gap(self) -> float:
        """The longest time the heartbeat waited between two beats (seconds)."""
        return max(self.gaps, default=0.0)

    @property
    def late_beats(self) -> int:
        """Beats that came more than twice the interval after the previous one."""
        return sum(gap > 2 * self.interval for gap in self.gaps)


async def measure_heartbeat(
    mode: str,
    *,
    block_seconds: float = 0.3,
    interval: float = 0.02,
    lead: float = 0.1,
    blocking_call: Callable[[], object] | None = None,
) -> HeartbeatRun:
    """Run a heartbeat (wake every ``interval``) next to one blocking call.

    The call (``time.sleep(block_seconds)`` unless ``blocking_call`` is given) starts ``lead``
    seconds in, either directly in a coroutine (``mode="blocking"``) or through
    :func:`asyncio.to_thread` (``mode="to_thread"``); the heartbeat stops ``lead`` seconds after
    it returns.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    call = blocking_call or partial(time.sleep, block_seconds)
    start = time.perf_counter()
    times: list[float] = []
    gaps: list[float] = []
    span: list[float] = []
    done = asyncio.Event()

    async def heartbeat() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(interval)
            now = time.perf_counter()
            times.append(now - start)
            gaps.append(now - last)
            last = now

    async def worker() -> None:
        await asyncio.sleep(lead)
        span.append(time.perf_counter() - start)
        if mode == "blocking":
            call()
        else:
            await asyncio.to_thread(call)
        span.append(time.perf_counter() - start)
        await asyncio.sleep(lead)
        done.set()

    await asyncio.gather(heartbeat(), worker())
    return HeartbeatRun(mode, interval, tuple(times), tuple(gaps), span[0], span[1])


# --- real sockets: an echo server on loopback ---------------------------------------------


async def _echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    """Send every line back, after ``delay`` seconds, until the client closes."""
    try:
        while line := await reader.readline():
            if delay:
                await asyncio.sleep(delay)
            writer.write(line)
            await writer.drain()
    except ConnectionError:
        pass  # the client went away mid-line; nothing to answer
    finally:
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()


async def start_echo_server(
    host: str = "127.0.0.1", port: int = 0, *, reply_delay: float = 0.0
) -> asyncio.Server:
    """Listen on ``host``:``port`` (port 0: any free port) and echo every line back.

    ``reply_delay`` makes each reply wait that many seconds, like a slow backend. Close the
    server with ``server.close()`` then ``await server.wait_closed()``.
    """
    return await asyncio.start_server(partial(_echo, delay=reply_delay), host, port)


def server_address(server: asyncio.Server) -> tuple[str, int]:
    """The ``(host, port)`` a started server listens on."""
    host, port = server.sockets[0].getsockname()[:2]
    return str(host), int(port)


@contextlib.asynccontextmanager
async def running_echo_server(
    host: str = "127.0.0.1", *, reply_delay: float = 0.0
) -> AsyncIterator[tuple[str, int]]:
    """``async with running_echo_server() as (host, port):`` - closed when the block ends."""
    server = await start_echo_server(host, 0, reply_delay=reply_delay)
    try:
        yield server_address(server)
    finally:
        server.close()
        await server.wait_closed()


async def echo_round_trip(host: str, port: int, message: bytes) -> bytes:
    """Connect, send one line, read the reply line, close; returns the reply without ``\\n``."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(message + b"\n")
        await writer.drain()
        reply = await reader.readline()
    finally:
        writer.close()
        await writer.wait_closed()
    return reply.rstrip(b"\n")
