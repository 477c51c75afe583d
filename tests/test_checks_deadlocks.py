"""The cycle check of the deadlock exercises: any cycle of the graph from any of its nodes
passes; lead-ins, repeats, missing edges, wrong types and foreign nodes fail, with messages
that name no node unless asked to show the result."""

from __future__ import annotations

import pytest

from advpy.checks import expect_cycle, is_cycle_of

GRAPH = {"a": ["b"], "b": ["c", "a"], "c": ["b"], "d": ["d"], 0: [1], 1: [0]}


@pytest.mark.parametrize("cycle", [["a", "b"], ["b", "a"], ["b", "c"], ["c", "b"], ["d"], [1, 0]])
def test_every_cycle_from_every_node_passes(cycle: list) -> None:
    assert is_cycle_of(cycle, GRAPH)
    expect_cycle(cycle, GRAPH, "a cycle")


@pytest.mark.parametrize(
    ("cycle", "problem"),
    [
        (("a", "b"), "not a list"),
        (None, "not a list"),
        ([], "the list is empty"),
        (["a", "b", "a"], "more than once"),
        (["a", "c"], "does not wait for the node after it"),
        (["a", "b", "c"], "does not wait for the node after it"),
        (["x"], "not a node of the graph"),
        ([[1]], "not a node of the graph"),
        ([True, False], "not a node of the graph"),
        ([1.0, 0], "not a node of the graph"),
    ],
)
def test_what_is_not_a_cycle_fails_with_a_reason(cycle: object, problem: str) -> None:
    assert not is_cycle_of(cycle, GRAPH)
    with pytest.raises(AssertionError) as failed:
        expect_cycle(cycle, GRAPH, "the check")
    assert problem in str(failed.value)
    assert "returned" not in str(failed.value)


def test_show_adds_what_was_returned() -> None:
    with pytest.raises(AssertionError, match="returned: \\['a', 'c'\\]"):
        expect_cycle(["a", "c"], GRAPH, "visible", show=True)


def test_nodes_that_are_only_targets_count() -> None:
    graph = {"p": ["q"], "r": ["p"]}
    assert not is_cycle_of(["q"], graph)  # q is a node, but waits for nobody
    assert is_cycle_of(["s"], {"t": ["s"], "s": ["s"]})


def test_a_long_cycle_is_checked_in_linear_time() -> None:
    ring = {i: [(i + 1) % 50_000] for i in range(50_000)}
    assert is_cycle_of(list(range(50_000)), ring)
