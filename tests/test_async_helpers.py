"""The generators-and-async lesson's helpers: pipelines, asyncio demos and their plots.

Behaviour only: record shapes, results that must agree, a server that echoes and then closes,
a stall that shows with a blocking call and not with ``asyncio.to_thread``. Timing checks are
wide inequalities that hold on a busy machine, never a precise time.
"""

from __future__ import annotations

import asyncio
import inspect
import logging

import matplotlib.pyplot as plt
import pytest

from advpy.lessons.aio import debugging, demos, pipelines, queues
from advpy.lessons.aio.pipeline_plots import plot_pipeline_memory
from advpy.lessons.aio.plots import (
    plot_heartbeat,
    plot_queue_lengths,
    plot_semaphore_limits,
    plot_sequential_vs_gather,
)

# --- pipelines --------------------------------------------------------------------------------


def test_log_lines_is_lazy_and_parses() -> None:
    lines = pipelines.log_lines(5)
    assert inspect.isgenerator(lines)
    first = next(lines)
    assert pipelines.parse_line(first) == (0, "/items/0", 500, 0)
    assert len(list(lines)) == 4


@pytest.mark.parametrize("count", [0, 1, 13, 1000])
def test_both_pipelines_compute_the_same_total(count: int) -> None:
    expected = sum(
        size
        for _, _, status, size in map(pipelines.parse_line, pipelines.log_lines(count))
        if status >= 500
    )
    assert pipelines.list_pipeline(count) == expected
    assert pipelines.generator_pipeline(count) == expected


def test_measure_pipelines_records() -> None:
    records = pipelines.measure_pipelines([500, 20_000], repeats=1)
    assert [(r.approach, r.lines) for r in records] == [
        ("list", 500),
        ("generator", 500),
        ("list", 20_000),
        ("generator", 20_000),
    ]
    assert all(r.peak_bytes >= 0 and r.seconds > 0 for r in records)
    assert records[0].result == records[1].result
    big_list, big_generator = records[2], records[3]
    # Memory, not time: the list version holds 20 000 lines and records at once.
    assert big_generator.peak_bytes * 50 < big_list.peak_bytes


def test_peak_memory_counts_only_the_call() -> None:
    peak, result = pipelines.peak_memory(lambda: len(bytearray(1_000_000)))
    assert result == 1_000_000
    assert peak >= 1_000_000
    small, _ = pipelines.peak_memory(lambda: 1)
    assert small < 100_000


# --- asyncio demos ----------------------------------------------------------------------------


def test_sequential_vs_gather_records() -> None:
    records = asyncio.run(demos.measure_sleep_waits([1, 8], 0.05))
    assert [(r.mode, r.waits) for r in records] == [
        ("sequential", 1),
        ("gather", 1),
        ("sequential", 8),
        ("gather", 8),
    ]
    assert all(r.one_wait == 0.05 for r in records)
    sequential, gathered = records[2].seconds, records[3].seconds
    assert sequential >= 8 * 0.05 * 0.9  # eight sleeps, one after another
    assert gathered < sequential / 2  # the eight sleeps overlapped


@pytest.mark.parametrize(("jobs", "limit"), [(12, 1), (12, 3), (12, 12), (5, 8)])
def test_semaphore_caps_the_jobs_running_at_once(jobs: int, limit: int) -> None:
    record = asyncio.run(demos.run_limited(jobs, limit, 0.01))
    assert (record.jobs, record.limit) == (jobs, limit)
    assert record.peak == min(jobs, limit)


def test_measure_semaphore_limits_one_record_per_limit() -> None:
    records = asyncio.run(demos.measure_semaphore_limits(8, [1, 2, 8], 0.005))
    assert [r.limit for r in records] == [1, 2, 8]
    assert [r.peak for r in records] == [1, 2, 8]


def test_blocking_call_stalls_the_heartbeat_and_to_thread_does_not() -> None:
    block = 0.5
    blocked = asyncio.run(demos.measure_heartbeat("blocking", block_seconds=block, interval=0.02))
    threaded = asyncio.run(demos.measure_heartbeat("to_thread", block_seconds=block, interval=0.02))
    assert blocked.max_gap >= 0.9 * block, "the heartbeat kept beating through a blocking call"
    assert blocked.late_beats >= 1
    assert threaded.max_gap < 0.5 * block, "the heartbeat stalled although the call ran in a thread"
    assert threaded.call_end - threaded.call_start >= 0.9 * block
    assert len(threaded.times) == len(threaded.gaps) > len(blocked.gaps)


def test_heartbeat_refuses_an_unknown_mode() -> None:
    with pytest.raises(ValueError, match="mode"):
        asyncio.run(demos.measure_heartbeat("threads"))


def test_echo_server_echoes_lines_and_closes() -> None:
    async def scenario() -> tuple[list[bytes], bytes, str, int, bool]:
        server = await demos.start_echo_server()
        host, port = demos.server_address(server)
        reader, writer = await asyncio.open_connection(host, port)
        replies = []
        for line in (b"first\n", b"second\n", b"\n"):
            writer.write(line)
            await writer.drain()
            replies.append(await reader.readline())
        writer.close()
        await writer.wait_closed()
        single = await demos.echo_round_trip(host, port, b"ping")
        server.close()
        await server.wait_closed()
        refused = False
        try:
            _, late_writer = await asyncio.open_connection(host, port)
        except OSError:
            refused = True
        else:
            late_writer.close()
            await late_writer.wait_closed()
        return replies, single, host, port, refused

    replies, single, host, port, refused = asyncio.run(scenario())
    assert replies == [b"first\n", b"second\n", b"\n"]
    assert single == b"ping"
    assert host == "127.0.0.1" and port > 0
    assert refused, "the server still accepted connections after it was closed"


def test_running_echo_server_closes_when_the_block_ends() -> None:
    async def scenario() -> tuple[list[bytes], bool]:
        async with demos.running_echo_server(reply_delay=0.01) as (host, port):
            replies = await asyncio.gather(
                *(demos.echo_round_trip(host, port, f"m{i}".encode()) for i in range(5))
            )
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            return replies, True
        writer.close()
        await writer.wait_closed()
        return replies, False

    replies, refused = asyncio.run(scenario())
    assert replies == [b"m0", b"m1", b"m2", b"m3", b"m4"]
    assert refused


def test_concurrency_counter() -> None:
    counter = demos.ConcurrencyCounter()
    with counter.track():
        with counter.track():
            assert counter.running == 2
    assert (counter.running, counter.peak, counter.finished) == (0, 2, 2)


# --- plots ------------------------------------------------------------------------------------


def _labelled(ax: plt.Axes) -> None:
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    legend = ax.get_legend()
    assert legend is not None and all(t.get_text() for t in legend.get_texts())


def test_plots_have_labelled_axes_and_legends() -> None:
    memory = [pipelines.PipelineRecord("list", n, n * 300, 0.001, 1) for n in (100, 1000)] + [
        pipelines.PipelineRecord("generator", n, 2500, 0.001, 1) for n in (100, 1000)
    ]
    waits = [
        demos.WaitRecord(m, n, n * 0.01, 0.01) for n in (1, 2, 4) for m in ("sequential", "gather")
    ]
    limits = [demos.LimitRecord(limit, 8, 0.01, 0.08 / limit, limit) for limit in (1, 2, 4, 8)]
    beats = [
        demos.HeartbeatRun(mode, 0.02, (0.02, 0.04, 0.34), (0.02, 0.02, 0.3), 0.04, 0.34)
        for mode in demos.MODES
    ]
    figures = [
        plot_pipeline_memory(memory),
        plot_sequential_vs_gather(waits),
        plot_semaphore_limits(limits),
        plot_heartbeat(beats),
    ]
    try:
        for _, ax in figures:
            _labelled(ax)
            assert ax.has_data()
    finally:
        for fig, _ in figures:
            plt.close(fig)


# --- debug mode, back-pressure ------------------------------------------------------------------


def test_debug_mode_names_the_blocking_handler_and_is_put_back() -> None:
    async def scenario() -> tuple[list[str], bool, float]:
        loop = asyncio.get_running_loop()
        before = (loop.get_debug(), loop.slow_callback_duration)
        messages = await debugging.capture_slow_callbacks(
            lambda: debugging.serve_both(0.15), threshold=0.05
        )
        assert (loop.get_debug(), loop.slow_callback_duration) == before
        return messages, loop.get_debug(), loop.slow_callback_duration

    messages, _, _ = asyncio.run(scenario())
    assert messages, "debug mode logged no slow step"
    assert all("blocking_handler" in m for m in messages)
    assert not any("polite_handler" in m for m in messages)
    assert logging.getLogger("asyncio").propagate


def test_a_bounded_queue_holds_the_producer_to_the_consumers_pace() -> None:
    async def scenario() -> tuple[queues.QueueRun, queues.QueueRun]:
        return (
            await queues.measure_queue(0, 30, 0.002),
            await queues.measure_queue(4, 30, 0.002),
        )

    unbounded, bounded = asyncio.run(scenario())
    assert unbounded.longest == 30, "an unbounded queue did not take everything at once"
    assert bounded.longest == 4, "the bounded queue held more than maxsize"
    assert bounded.producer_done > unbounded.producer_done
    assert bounded.producer_done > 0.5 * bounded.consumer_done
    fig, ax = plot_queue_lengths([unbounded, bounded])
    assert len(ax.lines) >= 2 and ax.get_legend() is not None
