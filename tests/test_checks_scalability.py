"""The load-balancer simulation of the scalability exercises: deterministic for one policy,
ordering policies as queueing theory says, refusing results that are not a server's index with
a message that names no queue length, and the nearest-rank percentile."""

from __future__ import annotations

import random

import pytest

from advpy.checks import BalancerRun, percentile, simulate_balancer


def shortest(queue_lengths: list[int], seed: int) -> int:
    return min(range(len(queue_lengths)), key=queue_lengths.__getitem__)


def blind(queue_lengths: list[int], seed: int) -> int:
    return random.Random(seed).randrange(len(queue_lengths))


def test_a_policy_always_gives_the_same_run() -> None:
    first = simulate_balancer(shortest, requests=500, seed=4)
    assert isinstance(first, BalancerRun) and first.requests == 450
    assert simulate_balancer(shortest, requests=500, seed=4) == first


def test_looking_at_the_queues_beats_random_choice() -> None:
    looked = simulate_balancer(shortest, servers=8, load=0.9, requests=2000, seed=2)
    random_run = simulate_balancer(blind, servers=8, load=0.9, requests=2000, seed=2)
    assert looked.p99 < 15 < random_run.p99
    assert looked.longest_queue < random_run.longest_queue


def test_the_policy_gets_a_copy_of_the_lengths_and_a_fresh_seed() -> None:
    seen: list[tuple[list[int], int]] = []

    def spy(queue_lengths: list[int], seed: int) -> int:
        seen.append((list(queue_lengths), seed))
        queue_lengths.append(99)  # changing the copy changes nothing in the simulation
        return 0

    simulate_balancer(spy, servers=3, load=0.5, requests=50, seed=1)
    assert len(seen) == 50 and all(len(lengths) == 3 for lengths, _ in seen)
    assert len({seed for _, seed in seen}) == 50


@pytest.mark.parametrize(
    ("answer", "problem"),
    [(True, "not a bool"), (1.0, "not a float"), (None, "not a NoneType"), (8, "not the index")],
)
def test_a_result_that_is_not_an_index_fails_the_check(answer: object, problem: str) -> None:
    with pytest.raises(AssertionError) as caught:
        simulate_balancer(lambda lengths, seed: answer, servers=8, requests=20)
    text = str(caught.value)
    assert problem.split()[-1] in text
    assert "[" not in text, "the message names no list of queue lengths"


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.99) == 99.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([3.0], 0.99) == 3.0
    with pytest.raises(ValueError):
        percentile([], 0.5)
