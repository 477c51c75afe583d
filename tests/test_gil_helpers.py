"""The GIL lesson's helpers: tasks, measurements, plots, the panel and the pool probes.

These tests check behaviour (shapes, labels, that a pool really runs the functions, that the
panel redraws); they never assert how long anything took.
"""

from __future__ import annotations

import ast
import functools
import inspect
import os
import pickle
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

import matplotlib.pyplot as plt
import pytest

from advpy.lessons import timing
from advpy.lessons.context import machine
from advpy.lessons.gil import measure, plots, pool_probes, sharing, switching, workloads
from advpy.lessons.gil.slow_server import BODY, SlowServer
from advpy.lessons.gil.widgets import CSS_CLASS, GilPanel, gil_panel


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


@pytest.fixture
def server() -> Iterator[SlowServer]:
    with SlowServer(delay=0.0) as running:
        yield running


# --- workloads ------------------------------------------------------------------------------


def test_split_evenly_adds_up_and_differs_by_at_most_one() -> None:
    for total in (0, 1, 7, 10, 1000):
        for parts in (1, 2, 3, 4, 7):
            amounts = workloads.split_evenly(total, parts)
            assert len(amounts) == parts
            assert sum(amounts) == total
            assert max(amounts) - min(amounts) <= 1
    assert workloads.split_evenly(10, 4) == [3, 3, 2, 2]


def test_split_evenly_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        workloads.split_evenly(10, 0)
    with pytest.raises(ValueError):
        workloads.split_evenly(-1, 2)


def test_tasks_compute_what_they_say() -> None:
    assert workloads.pure_python_work(10) == sum(i * i % 7 for i in range(10))
    assert isinstance(workloads.numpy_work(2, size=1_000), float)
    assert workloads.payload_size(b"x" * 123) == 123


def test_fetch_reads_the_servers_answer(server: SlowServer) -> None:
    assert workloads.fetch(server.url) == len(BODY)
    assert workloads.fetch_many(server.url, 3) == 3 * len(BODY)


def test_slow_server_has_a_loopback_url_only_while_running() -> None:
    server = SlowServer(delay=0.0)
    assert not server.running
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert server.running
        assert server.url.startswith("http://127.0.0.1:")
    assert not server.running
    with pytest.raises(ValueError):
        SlowServer(delay=-1)


def test_workers_pickle_by_reference(server: SlowServer) -> None:
    for func in (workloads.pure_python_work, workloads.numpy_work, workloads.payload_size):
        assert pickle.loads(pickle.dumps(func)) is func
    task = functools.partial(workloads.fetch_many, server.url)
    copy = pickle.loads(pickle.dumps(task))
    assert copy.func is workloads.fetch_many
    assert copy.args == (server.url,)


def test_workers_run_in_a_fresh_process_pool(server: SlowServer) -> None:
    # forkserver (or spawn) workers import the functions by name: this fails for a function
    # that is not importable from a module.
    with ProcessPoolExecutor(max_workers=1, mp_context=measure.pool_context()) as pool:
        assert pool.submit(workloads.pure_python_work, 10).result(timeout=60) == (
            workloads.pure_python_work(10)
        )
        task = functools.partial(workloads.fetch_many, server.url)
        assert pool.submit(task, 2).result(timeout=60) == 2 * len(BODY)
        worker_pid = pool.submit(pool_probes.pid, "x").result(timeout=60)
    assert worker_pid[0] == "x"
    assert worker_pid[1] != os.getpid()


# --- measurements ---------------------------------------------------------------------------


def test_measure_speedup_gives_one_record_per_executor_and_worker_count() -> None:
    records = measure.measure_speedup(
        workloads.pure_python_work, total=2_000, workers=[1, 2], repeats=1, name="loop"
    )
    assert [(r.executor, r.workers) for r in records] == [
        ("threads", 1),
        ("threads", 2),
        ("processes", 1),
        ("processes", 2),
    ]
    baselines = {r.baseline_seconds for r in records}
    assert len(baselines) == 1
    for r in records:
        assert isinstance(r, measure.SpeedupRecord)
        assert r.task == "loop"
        assert r.seconds > 0 and r.baseline_seconds > 0
        assert r.speedup == pytest.approx(r.baseline_seconds / r.seconds)
        assert r.efficiency == pytest.approx(r.speedup / r.workers)


def test_measure_speedup_names_partials_and_checks_executors(server: SlowServer) -> None:
    task = functools.partial(workloads.fetch_many, server.url)
    records = measure.measure_speedup(task, total=4, workers=[1, 2], executors=["threads"])
    assert {r.task for r in records} == {"fetch_many"}
    assert {r.executor for r in records} == {"threads"}
    with pytest.raises(ValueError):
        measure.measure_speedup(task, total=4, workers=[1], executors=["fibers"])


def test_measure_handoffs_restores_the_switch_interval() -> None:
    before = sys.getswitchinterval()
    records = measure.measure_handoffs([0.001, 0.01], seconds=0.05)
    assert sys.getswitchinterval() == before
    assert [r.interval for r in records] == [0.001, 0.01]
    for r in records:
        assert r.seconds == 0.05
        assert r.handoffs >= 0 and r.iterations > 0
        assert r.handoffs_per_second == pytest.approx(r.handoffs / r.seconds)


def test_measure_transfer_times_both_executors_for_each_size() -> None:
    records = measure.measure_transfer([0.001, 0.01], repeats=1)
    assert [(r.megabytes, r.executor) for r in records] == [
        (0.001, "processes"),
        (0.001, "threads"),
        (0.01, "processes"),
        (0.01, "threads"),
    ]
    assert all(r.seconds > 0 for r in records)


def _records() -> list[measure.SpeedupRecord]:
    return [
        measure.SpeedupRecord("job", kind, workers, seconds, 1.0)
        for kind, times in (("threads", [1.0, 1.1, 1.2]), ("processes", [1.1, 0.6, 0.5]))
        for workers, seconds in zip([1, 2, 3], times, strict=True)
    ]


def test_best_speedup_and_table_text() -> None:
    records = _records()
    assert measure.best_speedup(records, "processes").workers == 3
    assert measure.best_speedup(records, "threads").workers == 1
    with pytest.raises(ValueError):
        measure.best_speedup(records, "fibers")
    text = measure.format_speedups(records)
    assert "one plain call: 1000.0 ms" in text
    assert len(text.splitlines()) == 2 + len(records)
    assert measure.format_speedups([]) == "(no records)"


def test_load_note_is_one_sentence_about_the_cores() -> None:
    note = timing.load_note()
    assert note.endswith(".")
    assert "load average" in note.lower()


# --- plots ----------------------------------------------------------------------------------


def _legend(ax) -> list[str]:
    legend = ax.get_legend()
    assert legend is not None, "the plot has no legend"
    return [text.get_text() for text in legend.get_texts()]


def _footnote(fig) -> str:
    return " ".join(text.get_text() for text in fig.texts)


def test_plot_speedup_has_ideal_line_one_line_per_executor_and_labels() -> None:
    fig, ax = plots.plot_speedup(_records())
    assert "workers" in ax.get_xlabel()
    assert "speed-up" in ax.get_ylabel() and "×" in ax.get_ylabel()
    labels = _legend(ax)
    assert any(label.startswith("ideal") for label in labels)
    assert "threads" in labels and "processes" in labels
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["processes"].get_xdata()) == [1, 2, 3]
    assert list(lines["processes"].get_ydata()) == pytest.approx([1 / 1.1, 1 / 0.6, 1 / 0.5])
    ideal = next(line for label, line in lines.items() if label.startswith("ideal"))
    assert list(ideal.get_xdata()) == list(ideal.get_ydata()) == [1, 3]
    assert machine().label() in _footnote(fig)


def test_plot_speedup_marks_the_cores_when_they_are_in_range() -> None:
    cores = machine().cores
    records = [measure.SpeedupRecord("job", "threads", w, 1.0, 1.0) for w in range(1, cores + 2)]
    _, ax = plots.plot_speedup(records)
    assert any(label.startswith("cores") for label in _legend(ax))


def test_plot_handoffs_and_transfer_have_labelled_log_axes() -> None:
    handoffs = [measure.HandoffRecord(i, 1.0, int(1 / i), 1000) for i in (0.001, 0.01)]
    fig, ax = plots.plot_handoffs(handoffs)
    assert "ms" in ax.get_xlabel() and "per second" in ax.get_ylabel()
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert len(_legend(ax)) == 2
    transfer = [
        measure.TransferRecord(mb, kind, mb / 100 if kind == "processes" else 1e-5)
        for mb in (0.1, 1.0, 10.0)
        for kind in ("processes", "threads")
    ]
    fig, ax = plots.plot_transfer(transfer)
    assert "MB" in ax.get_xlabel() and "ms" in ax.get_ylabel()
    assert len(ax.get_lines()) == 2
    assert len(_legend(ax)) == 2
    assert machine().label() in _footnote(fig)


def test_plots_refuse_empty_records() -> None:
    for plot in (plots.plot_speedup, plots.plot_handoffs, plots.plot_transfer):
        with pytest.raises(ValueError):
            plot([])


# --- the panel ------------------------------------------------------------------------------


def test_panel_builds_with_controls_and_a_classed_output() -> None:
    panel = GilPanel(workers=1)
    assert CSS_CLASS in panel.output._dom_classes
    assert panel.workers.min == 1
    assert panel.workers.max == measure.worker_counts(machine().cores)[-1]
    assert set(panel.task.options) == {
        ("CPU-bound: pure Python", "cpu"),
        ("I/O-bound: slow HTTP requests", "io"),
        ("NumPy: releases the GIL", "numpy"),
    }
    assert panel.output in panel.widget.children
    assert panel.redraws == 0 and panel.png == b""


def test_panel_redraws_when_a_control_changes() -> None:
    panel = gil_panel(task="cpu", size=1, workers=1)
    try:
        assert panel.redraws == 1 and panel.last_error is None
        assert panel.png.startswith(b"\x89PNG")
        assert {(r.executor, r.workers) for r in panel.records} == {
            ("threads", 1),
            ("processes", 1),
        }
        panel.workers.value = 2  # the observer re-measures and redraws
        assert panel.redraws == 2
        assert {r.workers for r in panel.records} == {1, 2}
        panel.task.value = "io"
        assert panel.redraws == 3 and panel.last_error is None
        assert {r.task for r in panel.records} == {"I/O-bound: slow HTTP requests"}
        panel._on_click(panel.again)
        assert panel.redraws == 4
        assert "Best speed-up" in panel.status.value
    finally:
        panel.close()
    assert panel._server is None


def test_panel_reports_a_failed_measurement_instead_of_raising() -> None:
    panel = GilPanel(workers=1)

    def broken() -> list[measure.SpeedupRecord]:
        raise OSError("no network")

    panel.measure = broken  # type: ignore[method-assign]
    panel.redraw()
    assert panel.last_error == "OSError: no network"
    assert "failed" in panel.status.value
    assert panel.redraws == 0


# --- the exercise's pool probes ------------------------------------------------------------


def test_pool_probes_report_what_they_promise() -> None:
    assert pool_probes.square(7) == 49
    assert pool_probes.pid("a") == ("a", os.getpid())
    assert pool_probes.slow_pid(3) == (3, os.getpid())
    assert pool_probes.echo_after(("v", 0.0)) == "v"
    assert pool_probes.fail_on_negative(4) == 5
    with pytest.raises(pool_probes.ProbeError):
        pool_probes.fail_on_negative(-1)


def test_pool_probes_and_their_error_cross_process_boundaries() -> None:
    error = pickle.loads(pickle.dumps(pool_probes.ProbeError("boom")))
    assert type(error) is pool_probes.ProbeError and str(error) == "boom"
    with ProcessPoolExecutor(max_workers=1, mp_context=measure.pool_context()) as pool:
        assert list(pool.map(pool_probes.square, [1, 2, 3])) == [1, 4, 9]
        with pytest.raises(pool_probes.ProbeError):
            pool.submit(pool_probes.fail_on_negative, -5).result(timeout=60)


# --- usable cores ----------------------------------------------------------------------------


def _cgroup(tmp_path, files: dict[str, str], proc: str = "0::/\n"):
    root = tmp_path / "cgroup"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    root.mkdir(exist_ok=True)
    proc_file = tmp_path / "proc-self-cgroup"
    proc_file.write_text(proc)
    return root, proc_file


def test_cgroup_v2_quota_caps_the_cores(tmp_path) -> None:
    from advpy import cores

    root, proc = _cgroup(tmp_path, {"cpu.max": "150000 100000\n"})
    assert cores.cgroup_cpu_limit(root, proc) == pytest.approx(1.5)
    assert cores.usable_cores(root, proc) == min(2, cores.usable_cores(tmp_path / "no", proc))
    root, proc = _cgroup(tmp_path / "b", {"cpu.max": "max 100000\n"})
    assert cores.cgroup_cpu_limit(root, proc) is None


def test_cgroup_limits_of_the_group_and_its_ancestors_count(tmp_path) -> None:
    from advpy import cores

    root, proc = _cgroup(
        tmp_path,
        {"hub/user/cpu.max": "400000 100000", "hub/cpu.max": "100000 100000"},
        proc="0::/hub/user\n",
    )
    assert cores.cgroup_cpu_limit(root, proc) == pytest.approx(1.0)
    assert cores.usable_cores(root, proc) == 1


def test_cgroup_v1_quota_is_read_too(tmp_path) -> None:
    from advpy import cores

    root, proc = _cgroup(
        tmp_path,
        {"cpu,cpuacct/cpu.cfs_quota_us": "50000", "cpu,cpuacct/cpu.cfs_period_us": "100000"},
        proc="4:cpu,cpuacct:/\n",
    )
    assert cores.cgroup_cpu_limit(root, proc) == pytest.approx(0.5)
    assert cores.usable_cores(root, proc) == 1
    root, proc = _cgroup(
        tmp_path / "none",
        {"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"},
        proc="4:cpu:/\n",
    )
    assert cores.cgroup_cpu_limit(root, proc) is None


def test_usable_cores_never_exceed_what_the_process_may_run_on(tmp_path) -> None:
    from advpy import cores

    usable = cores.usable_cores(tmp_path / "none", tmp_path / "none")
    assert usable >= 1
    if hasattr(os, "sched_getaffinity"):
        assert usable <= len(os.sched_getaffinity(0))
    assert machine().cores == cores.usable_cores()


def test_the_package_counts_cores_in_one_place() -> None:
    from pathlib import Path

    import advpy

    package = Path(advpy.__file__).parent
    users = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "cpu_count(" in path.read_text() and path.name != "cores.py"
    )
    assert not users, f"count cores with advpy.cores.usable_cores(), not in {users}"


# --- one pool at a time, a capped worker axis, an honest caveat -------------------------------


def test_worker_axis_is_twice_the_cores_but_at_most_eight() -> None:
    assert measure.worker_counts(1) == [1, 2]
    assert measure.worker_counts(2) == [1, 2, 3, 4]
    assert measure.worker_counts(16) == list(range(1, 9))
    assert measure.worker_counts(64)[-1] == measure.MOST_WORKERS == 8


def test_measure_speedup_keeps_one_process_pool_alive_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    alive: list[int] = [0]
    most: list[int] = [0]

    class CountingPool(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            alive[0] += 1
            most[0] = max(most[0], alive[0])

        def shutdown(self, *args, **kwargs) -> None:
            if not getattr(self, "_counted_down", False):
                self._counted_down = True
                alive[0] -= 1
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(measure, "ProcessPoolExecutor", CountingPool)
    records = measure.measure_speedup(
        workloads.pure_python_work, total=3_000, workers=[1, 2, 3], repeats=1
    )
    assert most[0] == 1, "more than one process pool was alive at once"
    assert alive[0] == 0, "a process pool was left running"
    assert all(r.startup_seconds > 0 for r in records)
    assert "start-up" in measure.format_speedups(records)


def _two(speedup: float) -> list[measure.SpeedupRecord]:
    return [
        measure.SpeedupRecord("job", "threads", 2, 1.0, 1.0),
        measure.SpeedupRecord("job", "processes", 1, 1.0, 1.0),
        measure.SpeedupRecord("job", "processes", 2, 1.0 / speedup, 1.0),
    ]


def test_speedup_caveat_speaks_only_when_the_plot_cannot_make_its_point() -> None:
    assert measure.speedup_caveat(_two(1.8), cores=2, load=0.3) is None
    slow = measure.speedup_caveat(_two(0.8), cores=2, load=0.3)
    assert slow is not None and "×0.80" in slow
    busy = measure.speedup_caveat(_two(1.8), cores=2, load=2.5)
    assert busy is not None and "load average" in busy
    single = measure.speedup_caveat(_two(1.0), cores=1, load=None)
    assert single is not None and "only 1 core" in single


def test_plot_speedup_carries_the_caveat_inside_the_plot() -> None:
    note = measure.speedup_caveat(_two(0.8), cores=2, load=0.1)
    fig, ax = plots.plot_speedup(_two(0.8), note=note)
    inside = " ".join(text.get_text() for text in ax.texts).replace("\n", " ")
    assert "×0.80" in inside
    _, quiet = plots.plot_speedup(_two(1.8))
    assert not quiet.texts


# --- where threads switch -----------------------------------------------------------------------


def test_a_call_between_read_and_write_loses_updates() -> None:
    # A race is a matter of chance: on a machine whose cores are all busy, the operating system
    # may run the threads one after another. Lost updates must show in one of a few tries.
    for _ in range(10):
        record = switching.measure_race("counter.value += one()", times=100_000, threads=4)
        assert record.expected == 400_000
        assert 0 <= record.lost < record.expected
        if record.lost > 0:
            return
    pytest.fail("no update lost with a call in the update, in 10 tries")


@pytest.mark.skipif(
    sys.version_info < (3, 10) or not machine().gil_enabled,
    reason="only a GIL build of CPython 3.10+ checks for switches at calls and jumps only",
)
def test_without_a_call_no_update_is_lost_on_a_gil_build() -> None:
    before = sys.getswitchinterval()
    record = switching.measure_race("counter.value += 1", times=100_000, threads=4)
    assert sys.getswitchinterval() == before
    assert record.lost == 0


def test_a_long_c_call_stalls_other_threads_and_a_python_loop_does_not() -> None:
    in_c, in_python = switching.measure_stalls(20_000_000)
    assert in_c.work_seconds > 0.05
    assert in_c.max_gap >= 0.8 * in_c.work_seconds, "the ticker ran during one C call"
    assert in_python.max_gap < 0.5 * in_python.work_seconds, "a Python loop stalled the ticker"
    fig, ax = plots.plot_stall([in_c, in_python])
    assert ax.get_yscale() == "log"
    assert any("switch interval" in label for label in _legend(ax))


# --- multiprocessing: Process, Pool, shared memory ----------------------------------------------


def test_shared_memory_gives_the_worker_the_same_array_without_a_copy() -> None:
    records = sharing.measure_sharing([0.01, 0.5], repeats=1)
    assert [(r.megabytes, r.method) for r in records] == [
        (0.01, "pickled"),
        (0.01, "shared memory"),
        (0.5, "pickled"),
        (0.5, "shared memory"),
    ]
    for size in (0.01, 0.5):
        sums = {r.result for r in records if r.megabytes == size}
        assert len(sums) == 1, "the worker summed something else from shared memory"
    fig, ax = plots.plot_sharing(records)
    assert "MB" in ax.get_xlabel() and len(ax.get_lines()) == 2


def test_a_process_sends_its_result_back_through_a_queue() -> None:
    ctx = measure.pool_context()
    results = ctx.Queue()
    child = ctx.Process(target=sharing.square_into, args=(results, 6))
    child.start()
    pid, value = results.get(timeout=60)
    child.join(timeout=60)
    assert value == 36 and pid != os.getpid() and child.exitcode == 0


def test_pure_work_lives_in_a_module_that_imports_nothing() -> None:
    from advpy.lessons.gil import cpu_work

    assert workloads.pure_python_work is cpu_work.pure_python_work
    assert pickle.loads(pickle.dumps(cpu_work.pure_python_work)) is cpu_work.pure_python_work
    tree = ast.parse(inspect.getsource(cpu_work))
    imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
    assert [getattr(node, "module", None) for node in imports] == ["__future__"]
