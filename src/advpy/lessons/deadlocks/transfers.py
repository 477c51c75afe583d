"""Bank transfers between accounts that each have a lock, five ways: one with all four Coffman
conditions in place, and one for each condition broken.

Every strategy runs under the same :class:`~advpy.lessons.deadlocks.tracked.Detector`, so the
same judge counts the deadlocks of all five. The naive strategy deadlocks; the detector's
victims retry and the work still finishes, at a price. The others never form a cycle.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

from advpy.lessons.deadlocks.tracked import DeadlockVictim, Detection, Detector, LockTable

#: The time a transfer spends between taking its first lock and asking for its second (reading
#: the payer's balance from somewhere slow); it makes the bad interleaving likely, not certain.
THINK = 0.0002

#: Which Coffman condition each strategy breaks.
BREAKS = {
    "naive": "none: all four hold",
    "ordered": "circular wait",
    "all at once": "hold and wait",
    "try-lock + back-off": "no preemption",
    "single owner": "mutual exclusion",
}


class Bank:
    """Accounts ``"A0"``, ``"A1"``, ... with balances and one tracked lock each."""

    def __init__(self, table: LockTable, accounts: int, balance: int = 1000) -> None:
        self.names = [f"A{i}" for i in range(accounts)]
        self.balance = dict.fromkeys(self.names, balance)
        self.locks = {name: table.lock(name) for name in self.names}
        self.gate = threading.Lock()  # for "all at once"
        self.retries = 0
        self._count = threading.Lock()

    def total(self) -> int:
        """The sum of all balances: a transfer must never change it."""
        return sum(self.balance.values())

    def count_retry(self) -> None:
        """Note one transfer that had to start again."""
        with self._count:
            self.retries += 1

    def move(self, payer: str, payee: str, amount: int) -> None:
        """The work done while both locks are held."""
        self.balance[payer] -= amount
        self.balance[payee] += amount


def naive(bank: Bank, payer: str, payee: str, amount: int) -> None:
    """Payer's lock, then payee's: two opposite transfers can wait for each other forever.
    Here the detector breaks such a cycle and the victim starts again."""
    while True:
        try:
            with bank.locks[payer]:
                time.sleep(THINK)
                with bank.locks[payee]:
                    bank.move(payer, payee, amount)
            return
        except DeadlockVictim:
            bank.count_retry()
            time.sleep(random.uniform(0, 0.002))  # as an application retries a transaction


def ordered(bank: Bank, payer: str, payee: str, amount: int) -> None:
    """Both locks in one global order (by name): no cycle of waits can form."""
    first, second = sorted((payer, payee))
    with bank.locks[first]:
        time.sleep(THINK)
        with bank.locks[second]:
            bank.move(payer, payee, amount)


def all_at_once(bank: Bank, payer: str, payee: str, amount: int) -> None:
    """Take every lock needed in one step, under a gate: a thread that holds a lock never waits
    for another one, it only waits at the gate while holding nothing."""
    with bank.gate:
        bank.locks[payer].acquire()
        bank.locks[payee].acquire()
    try:
        time.sleep(THINK)
        bank.move(payer, payee, amount)
    finally:
        bank.locks[payee].release()
        bank.locks[payer].release()


def try_lock_backoff(bank: Bank, payer: str, payee: str, amount: int) -> None:
    """Take the payer's lock, *try* the payee's; if it is busy, give the first one back (the
    thread preempts itself), sleep a random moment and start again."""
    first, second = bank.locks[payer], bank.locks[payee]
    pause = 0.0001
    while True:
        first.acquire()
        time.sleep(THINK)
        if second.try_acquire():
            try:
                bank.move(payer, payee, amount)
            finally:
                second.release()
                first.release()
            return
        first.release()
        bank.count_retry()
        time.sleep(random.uniform(0, pause))
        pause = min(pause * 2, 0.005)


class SingleOwner:
    """One thread owns every balance and applies transfers from a queue; nothing is shared, so
    nothing needs a lock (the callers wait for a result, not for a lock)."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.inbox: queue.SimpleQueue[tuple[str, str, int, Future[None]] | None] = (
            queue.SimpleQueue()
        )
        self.thread = threading.Thread(target=self._run, name="owner", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (job := self.inbox.get()) is not None:
            payer, payee, amount, done = job
            time.sleep(THINK)
            self.bank.move(payer, payee, amount)
            done.set_result(None)

    def transfer(self, bank: Bank, payer: str, payee: str, amount: int) -> None:
        """Hand the transfer to the owner and wait until it is done."""
        done: Future[None] = Future()
        self.inbox.put((payer, payee, amount, done))
        done.result()

    def close(self) -> None:
        """Stop the owner thread."""
        self.inbox.put(None)
        self.thread.join()


@dataclass(frozen=True)
class StrategyRun:
    """What one strategy did with the same transfers."""

    strategy: str
    breaks: str
    transfers: int
    seconds: float
    deadlocks: int
    retries: int
    total_before: int
    total_after: int

    @property
    def per_second(self) -> float:
        """Transfers completed per second."""
        return self.transfers / self.seconds


def run_strategy(
    name: str, *, threads: int, transfers: int, accounts: int, interval: float, seed: int = 23
) -> StrategyRun:
    """Run ``threads`` threads of ``transfers`` random transfers each with one strategy, under
    a detector that looks every ``interval`` seconds."""
    table = LockTable()
    bank = Bank(table, accounts)
    owner = SingleOwner(bank) if name == "single owner" else None
    functions: dict[str, Callable[[Bank, str, str, int], None]] = {
        "naive": naive,
        "ordered": ordered,
        "all at once": all_at_once,
        "try-lock + back-off": try_lock_backoff,
    }
    work = owner.transfer if owner is not None else functions[name]
    rng = random.Random(seed)
    plans = [
        [(*rng.sample(bank.names, 2), rng.randint(1, 50)) for _ in range(transfers)]
        for _ in range(threads)
    ]
    before = bank.total()
    start = threading.Barrier(threads)

    def worker(plan: list[tuple[str, str, int]]) -> None:
        start.wait()
        for payer, payee, amount in plan:
            work(bank, payer, payee, amount)

    pool = [
        threading.Thread(target=worker, args=(plan,), name=f"T{i}") for i, plan in enumerate(plans)
    ]
    with Detector(table, interval) as detector:
        began = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        seconds = time.perf_counter() - began
    if owner is not None:
        owner.close()
    return StrategyRun(
        strategy=name,
        breaks=BREAKS[name],
        transfers=threads * transfers,
        seconds=seconds,
        deadlocks=len(detector.detections),
        retries=bank.retries,
        total_before=before,
        total_after=bank.total(),
    )


def measure_strategies(
    *, threads: int, transfers: int, accounts: int, interval: float
) -> list[StrategyRun]:
    """Every strategy on the same random transfers."""
    return [
        run_strategy(
            name, threads=threads, transfers=transfers, accounts=accounts, interval=interval
        )
        for name in BREAKS
    ]


@dataclass(frozen=True)
class OppositeTransfers:
    """Two opposite transfers forced into the deadlocking order, and what the detector saw."""

    graph: dict[str, list[str]]
    detections: list[Detection]
    balances: dict[str, int]
    seconds: float


def opposite_transfers(interval: float) -> OppositeTransfers:
    """Thread T1 moves 10 from A0 to A1 while T2 moves 25 from A1 to A0; a barrier makes both
    hold their first lock before either asks for its second, so they deadlock for certain.
    The detector finds the cycle and picks a victim, which starts again and finishes second."""
    table = LockTable()
    bank = Bank(table, 2, balance=100)
    both_hold = threading.Barrier(2)
    graphs: list[dict[str, list[str]]] = []

    def transfer(payer: str, payee: str, amount: int) -> None:
        first_try = True
        while True:
            try:
                with bank.locks[payer]:
                    if first_try:
                        first_try = False
                        both_hold.wait()
                    with bank.locks[payee]:
                        bank.move(payer, payee, amount)
                return
            except DeadlockVictim:
                time.sleep(0.01)  # let the survivor finish first

    pair = [
        threading.Thread(target=transfer, args=("A0", "A1", 10), name="T1"),
        threading.Thread(target=transfer, args=("A1", "A0", 25), name="T2"),
    ]
    detector = Detector(table, interval)
    detector._stop.set()  # looked at by hand below, once the cycle is there
    began = time.perf_counter()
    for thread in pair:
        thread.start()
    while len(table.snapshot()[1]) < 2:
        time.sleep(0.001)
    graphs.append(table.graph())
    time.sleep(interval)
    detector.check()
    for thread in pair:
        thread.join()
    return OppositeTransfers(
        graph=graphs[0],
        detections=detector.detections,
        balances=dict(bank.balance),
        seconds=time.perf_counter() - began,
    )
