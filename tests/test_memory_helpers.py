"""The memory lesson's helpers: objgraph pictures, the leaking cache and its fix, the
measurements and their plots. Behaviour only: no measured byte count is checked beyond
inequalities that hold on any machine."""

from __future__ import annotations

import gc
import inspect
import re
import tracemalloc
import weakref
from collections.abc import Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from advpy.lessons.memory import (
    cycles,
    forking,
    leaks,
    measure,
    memviz,
    method_cache,
    plots,
    slotted,
)


class Node:
    def __init__(self, name: str) -> None:
        self.name = name
        self.partner: Node | None = None

    def __repr__(self) -> str:
        return f"Node({self.name!r})"


def make_cycle() -> tuple[Node, Node]:
    a, b = Node("a"), Node("b")
    a.partner, b.partner = b, a
    return a, b


@pytest.fixture(autouse=True)
def empty_caches() -> Iterator[None]:
    leaks.clear_caches()
    yield
    leaks.clear_caches()
    plt.close("all")


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PATH without Graphviz's dot on it (an empty folder)."""
    monkeypatch.setenv("PATH", str(tmp_path))


def edges_by_label(source: str) -> set[tuple[str, str]]:
    """The edges of objgraph's Graphviz text, as (source label, target label) pairs."""
    labels = dict(re.findall(r'^\s*(\w+)\[label="([^"]*)"', source, re.M))
    pairs = re.findall(r"^\s*(\w+) -> (\w+)", source, re.M)
    return {(labels[a].split("\\n")[-1], labels[b].split("\\n")[-1]) for a, b in pairs}


# objgraph pictures


def test_dot_source_shows_both_arrows_of_a_cycle_without_graphviz(no_dot: None) -> None:
    a, b = make_cycle()
    edges = edges_by_label(memviz.dot_source([a]))
    assert ("Node('a')", "Node('b')") in edges
    assert ("Node('b')", "Node('a')") in edges


def test_dot_source_leaves_classes_out_by_default() -> None:
    a, _ = make_cycle()
    assert "type\\nNode" not in memviz.dot_source([a])
    assert "type\\nNode" in memviz.dot_source([a], filter=None)


def test_backrefs_of_an_unreachable_cycle_show_only_the_cycle() -> None:
    with measure.collector_paused():
        a, b = make_cycle()
        probe = weakref.ref(a)
        del a, b
        edges = edges_by_label(memviz.dot_source([probe()], backrefs=True))
    gc.collect()
    assert edges == {("Node('b')", "Node('a')"), ("Node('a')", "Node('b')")}
    assert probe() is None


def test_dot_source_wants_a_list() -> None:
    a, _ = make_cycle()
    with pytest.raises(TypeError, match="list"):
        memviz.dot_source(a)  # type: ignore[arg-type]


def test_png_picture_file_is_a_png(tmp_path: Path) -> None:
    assert memviz.find_dot(), "these tests need Graphviz's dot: apt-get install graphviz"
    a, _ = make_cycle()
    path = memviz.save([a], tmp_path / "cycle.png")
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_svg_picture_file_is_an_svg(tmp_path: Path) -> None:
    a, _ = make_cycle()
    text = memviz.save([a], tmp_path / "cycle.svg").read_text()
    assert "<svg" in text and "Node(&#39;b&#39;)" in text


def test_picture_is_an_image_with_its_alt_text() -> None:
    from IPython.display import Image

    a, _ = make_cycle()
    shown = memviz.picture([a], alt="objgraph picture of a cycle")
    assert isinstance(shown, Image)
    assert shown.data.startswith(b"\x89PNG")
    assert shown.alt == "objgraph picture of a cycle"


def test_save_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="png or .svg"):
        memviz.save([Node("x")], tmp_path / "cycle.jpg")


def test_missing_dot_gives_the_install_advice(no_dot: None) -> None:
    assert memviz.find_dot() is None
    with pytest.raises(memviz.GraphvizMissing) as raised:
        memviz.draw([Node("x")])
    message = str(raised.value)
    assert "apt-get install graphviz" in message
    assert "conda install graphviz" in message
    assert memviz.graphviz_status() == memviz.INSTALL_ADVICE


def test_missing_dot_makes_the_notebook_show_advice_not_an_error(no_dot: None) -> None:
    from IPython.display import Markdown

    shown = memviz.picture([Node("x")], alt="a picture")
    assert isinstance(shown, Markdown)
    assert "apt-get install graphviz" in shown.data


def test_graphviz_status_names_the_program() -> None:
    assert memviz.graphviz_status().startswith("Graphviz found")


# the leak and its fix


def body_line() -> int:
    """The line of render_report that allocates a report's body."""
    lines, first = inspect.getsourcelines(leaks.render_report)
    return first + next(i for i, line in enumerate(lines) if "bytes(size)" in line)


def test_tracemalloc_comparison_points_at_the_leaking_line() -> None:
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        leaks.serve_requests(50, leaks.get_report)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    top = after.compare_to(before, "lineno")[0]
    frame = top.traceback[0]
    assert Path(frame.filename) == Path(leaks.__file__)
    assert frame.lineno == body_line()
    assert top.count_diff >= 50
    assert top.size_diff >= 50 * leaks.REPORT_SIZE


def test_the_dict_cache_keeps_every_report() -> None:
    leaks.serve_requests(30, leaks.get_report, size=100)
    assert leaks.cache_entries() == {"dict": 30, "weak": 0}


def test_the_weak_cache_shares_a_report_while_it_is_held() -> None:
    first = leaks.get_report_weak("same", 100)
    assert leaks.get_report_weak("same", 100) is first
    assert leaks.cache_entries()["weak"] == 1


def test_the_weak_cache_does_not_keep_values_alive() -> None:
    freed: list[str] = []
    with measure.collector_paused():
        report = leaks.get_report_weak("watched", 100)
        weakref.finalize(report, freed.append, "watched")
        del report
        assert freed == ["watched"], "reference counting alone must free the report"
    assert leaks.cache_entries()["weak"] == 0
    assert leaks.serve_requests(20, leaks.get_report_weak, size=100) == 2000
    assert leaks.cache_entries()["weak"] == 0


# measurements and plots


def test_cache_growth_shows_the_leak_and_the_fix() -> None:
    size, requests = 10_000, 60
    leaky = measure.measure_cache_growth(
        leaks.get_report, "dict", requests=requests, checkpoints=3, size=size
    )
    fixed = measure.measure_cache_growth(
        leaks.get_report_weak, "weak", requests=requests, checkpoints=3, size=size
    )
    assert [r.requests for r in leaky] == [0, 20, 40, 60]
    assert leaky[-1].entries == requests and fixed[-1].entries == 0
    assert leaky[-1].bytes_held >= requests * size
    assert fixed[-1].bytes_held < size, "the weak cache kept at least one report's worth"
    assert leaks.cache_entries() == {"dict": 0, "weak": 0}, "measuring must clean up after"
    assert not tracemalloc.is_tracing()


def test_slotted_instances_are_smaller_and_grow_with_count() -> None:
    records = measure.measure_instances([500, 2_000])
    by_kind = {(r.kind, r.instances): r for r in records}
    for count in (500, 2_000):
        slots = by_kind["class with __slots__", count].bytes_each
        ordinary = by_kind["ordinary class", count].bytes_each
        assert 0 < slots < ordinary
    for kind in measure.INSTANCE_KINDS:
        assert by_kind[kind, 2_000].bytes_total > by_kind[kind, 500].bytes_total


def test_slotted_points_have_no_dict_and_no_weak_references() -> None:
    point = slotted.SlottedPoint(1.0, 2.0, 3.0)
    assert not hasattr(point, "__dict__")
    with pytest.raises(TypeError):
        weakref.ref(point)
    assert vars(slotted.make_points(slotted.Point, [1.0], touch_dict=True)[0]) == {
        "x": 1.0,
        "y": 1.0,
        "z": 1.0,
    }


def test_collections_are_counted_only_when_the_collector_runs() -> None:
    running = measure.measure_collections(5_000)
    assert [c.generation for c in running] == [0, 1, 2]
    assert running[0].runs >= 1 and sum(c.collected for c in running) > 0
    with measure.collector_paused():
        paused = measure.measure_collections(5_000)
    assert all(c.runs == 0 for c in paused)


def test_collector_paused_restores_the_previous_state() -> None:
    assert gc.isenabled()
    with measure.collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with measure.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_plots_draw_one_labelled_line_per_series() -> None:
    growth = measure.measure_cache_growth(
        leaks.get_report, "dict", requests=10, checkpoints=2, size=100
    ) + measure.measure_cache_growth(
        leaks.get_report_weak, "weak", requests=10, checkpoints=2, size=100
    )
    fig, ax = plots.plot_cache_growth(growth)
    assert [line.get_label().split(":")[0] for line in ax.lines] == ["dict", "weak"]
    assert ax.get_xlabel() and "MiB" in ax.get_ylabel()
    sizes = measure.measure_instances([100, 200])
    fig, ax = plots.plot_instance_memory(sizes)
    assert len(ax.lines) == len(measure.INSTANCE_KINDS)
    assert ax.get_legend() is not None and "MiB" in ax.get_ylabel()


# what cycles cost, freezing before fork, lru_cache on methods, weak slots


def test_a_request_with_a_cycle_waits_for_the_collector_and_one_without_does_not() -> None:
    freed: list[str] = []
    with measure.collector_paused():
        session = cycles.Session(10)
        session.handler = cycles.Handler(session)
        weakref.finalize(session, freed.append, "cycle")
        del session
        assert freed == []
        gc.collect()
        assert freed == ["cycle"]
        session = cycles.Session(10)
        session.handler = cycles.WeakHandler(session)
        assert session.handler.session is session
        weakref.finalize(session, freed.append, "weak")
        del session
        assert freed == ["cycle", "weak"], "a weak back-link still needed the collector"


def test_cycles_raise_the_peak_while_weak_links_keep_it_at_one_request() -> None:
    runs = measure.measure_cycle_memory(1_500, request_bytes=10_000)
    by_kind = {run.approach: run for run in runs}
    cycle = by_kind["session <-> handler cycle"]
    weak = by_kind["weak back-link, no cycle"]
    assert len(cycle.in_use) == len(weak.in_use) == 1_500
    assert weak.peak_bytes < 3 * 10_000, "requests without cycles were not freed at once"
    assert cycle.peak_bytes > 20 * weak.peak_bytes, "cycles did not pile up between collections"
    assert cycle.collections >= 1
    fig, ax = plots.plot_cycle_memory(runs)
    assert len(ax.lines) == 2 and "MiB" in ax.get_ylabel()


def test_collection_pause_is_measured_against_a_growing_heap() -> None:
    records = measure.measure_collection_pause([0, 20_000, 40_000], repeats=1)
    assert [r.added for r in records] == [0, 20_000, 40_000]
    assert records[1].tracked >= records[0].tracked + 20_000
    assert records[2].tracked >= records[1].tracked + 20_000
    assert all(r.seconds > 0 for r in records)
    fig, ax = plots.plot_collection_pause(records)
    assert "ms" in ax.get_ylabel() and len(ax.lines) == 1


@pytest.mark.skipif(not forking.supported(), reason="needs os.fork and /proc/self/smaps_rollup")
def test_freezing_before_fork_keeps_a_collection_from_copying_the_heap() -> None:
    plain, frozen = forking.measure_fork_sharing(100_000)
    assert (plain.frozen, frozen.frozen) == (False, True)
    assert plain.copied_kib > 2_000, "a collection in the child copied little of the heap"
    assert frozen.copied_kib < plain.copied_kib / 4, "gc.freeze() did not keep pages shared"


def test_lru_cache_on_a_method_keeps_the_instance_alive() -> None:
    method_cache.PriceList.price.cache_clear()
    prices = method_cache.PriceList("EUR")
    assert prices.price("tea") == 3.75
    probe = weakref.ref(prices)
    del prices
    gc.collect()
    assert probe() is not None, "the method's cache did not keep its instance"
    method_cache.PriceList.price.cache_clear()
    assert probe() is None
    own = method_cache.PriceListOwnCache("EUR")
    assert own.price("tea") == 3.75
    own_probe = weakref.ref(own)
    del own
    assert own_probe() is None, "a per-instance cache kept the instance alive"


def test_a_weakref_slot_allows_weak_references_and_costs_a_little() -> None:
    point = slotted.WeakSlottedPoint(1.0, 2.0, 3.0)
    assert weakref.ref(point)() is point
    kinds = {
        "slots": (slotted.SlottedPoint, False),
        "weak slots": (slotted.WeakSlottedPoint, False),
    }
    each = {r.kind: r.bytes_each for r in measure.measure_instances([5_000], kinds)}
    assert each["slots"] < each["weak slots"] <= each["slots"] + 32
