"""The leader of a real etcd cluster killed in the middle of a stream of writes.

One writer puts keys ``seq/00000``, ``seq/00001``... one after another through a client that
knows every member (it moves to the next member when one refuses or does not answer in
``timeout`` seconds). After ``kill_after`` writes the leader gets SIGKILL. A watcher thread asks
the surviving members, every few milliseconds, whom they follow: the **election time** is from
the kill until they name a new leader. Every attempt is recorded; at the end every key is read
back, to check that each acknowledged write is there, and to see which failed attempts landed
anyway (a client that got an error cannot know whether its write was committed).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from advpy.services import EtcdCluster, EtcdError


@dataclass(frozen=True)
class Attempt:
    """One put: when it started and ended (s since the first), and whether it was acknowledged."""

    key: str
    start: float
    end: float
    acked: bool
    error: str = ""


@dataclass
class Failover:
    """What one failover run measured."""

    attempts: list[Attempt]
    killed: str  # the leader that was killed
    new_leader: str
    killed_at: float
    elected_at: float | None
    old_term: int
    new_term: int
    stored: dict[str, str] = field(default_factory=dict)

    @property
    def election_s(self) -> float | None:
        """Seconds from the kill until the survivors named a new leader."""
        return None if self.elected_at is None else self.elected_at - self.killed_at

    @property
    def acked(self) -> list[Attempt]:
        """The acknowledged writes."""
        return [a for a in self.attempts if a.acked]

    @property
    def failed(self) -> list[Attempt]:
        """The writes that got an error or no answer in time."""
        return [a for a in self.attempts if not a.acked]

    @property
    def lost(self) -> list[str]:
        """Acknowledged keys that are not in the store afterwards (there should be none)."""
        return [a.key for a in self.acked if a.key not in self.stored]

    @property
    def landed_anyway(self) -> list[str]:
        """Failed writes that the store has anyway."""
        return [a.key for a in self.failed if a.key in self.stored]

    @property
    def unavailable_s(self) -> float:
        """The longest time between two acknowledgements after the kill: how long the cluster
        took no writes."""
        ends = [self.killed_at] + [a.end for a in self.acked if a.end > self.killed_at]
        return max((b - a for a, b in zip(ends, ends[1:], strict=False)), default=0.0)


def _watch(cluster: EtcdCluster, killed: str, old_leader_id: int, t0: float, out: dict) -> None:
    urls = [m.url for m in cluster.members if m.name != killed]
    clients = [cluster.connect([u], timeout=0.2) for u in urls]
    deadline = time.perf_counter() + 30
    try:
        while time.perf_counter() < deadline and "at" not in out:
            for client in clients:
                try:
                    status = client.status()
                except EtcdError:
                    continue
                if status["leader"] not in (0, old_leader_id):
                    out["at"] = time.perf_counter() - t0
                    out["term"] = status["term"]
                    break
            time.sleep(0.002)
    finally:
        for client in clients:
            client.close()


def run_failover(
    cluster: EtcdCluster, *, writes: int = 200, kill_after: int = 60, timeout: float = 0.25
) -> Failover:
    """Write ``writes`` keys, kill the leader after ``kill_after`` of them, read all back."""
    leader = cluster.leader()
    before = cluster.client.status()
    names = cluster.client.members()
    old_id = next(i for i, n in names.items() if n == leader.name)
    client = cluster.connect(timeout=timeout)
    # the leader last, so that the writer keeps writing through followers after the kill
    client.urls = [m.url for m in cluster.members if m is not leader] + [leader.url]
    attempts: list[Attempt] = []
    seen: dict[str, float | int] = {}
    watcher: threading.Thread | None = None
    killed_at = 0.0
    t0 = time.perf_counter()
    try:
        for number in range(writes):
            if number == kill_after:
                killed_at = time.perf_counter() - t0
                leader.kill()
                watcher = threading.Thread(
                    target=_watch, args=(cluster, leader.name, old_id, t0, seen), daemon=True
                )
                watcher.start()
            key = f"seq/{number:05d}"
            start = time.perf_counter() - t0
            try:
                client.put(key, str(number))
                attempts.append(Attempt(key, start, time.perf_counter() - t0, True))
            except EtcdError as error:
                attempts.append(Attempt(key, start, time.perf_counter() - t0, False, str(error)))
        if watcher is not None:
            watcher.join()
        survivors = cluster.connect([m.url for m in cluster.members if m.running])
        stored = survivors.get_prefix("seq/")
        new_leader = cluster.leader().name
        new_term = survivors.status()["term"]
        survivors.close()
    finally:
        client.close()
    elected = seen.get("at")
    return Failover(
        attempts=attempts,
        killed=leader.name,
        new_leader=new_leader,
        killed_at=killed_at,
        elected_at=float(elected) if elected is not None else None,
        old_term=before["term"],
        new_term=new_term,
        stored=stored,
    )
