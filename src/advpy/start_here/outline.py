"""The course's planned numbering, as data: what each lesson number will teach, and the parts.

The course map shows a lesson that is not written yet as "coming", with its planned topic from
here; everything that exists is read from its own file instead.
"""

from __future__ import annotations

#: Lesson number -> its planned topic.
PLANNED: dict[int, str] = {
    1: "the GIL: threads vs processes, timing plots",
    2: "reference counting, cycles, gc, objgraph, memory-profiler, tracemalloc",
    3: "generators, coroutines, asyncio",
    4: "metaclasses: classes of classes, registries, singletons, ORMs",
    5: "decorators: wraps, logging, caching, authentication",
    6: "type hints: annotations, mypy in CI",
    7: "scopes: LEGB, nonlocal, name mangling",
    8: "comprehensions vs generators vs map/filter",
    9: "thread safety: Lock, RLock, Queue, races",
    10: "context managers: __enter__/__exit__, transactions, contextlib",
    11: "authentication: login, password hashing, JWT, refresh tokens, revocation, HTTPS",
    12: "microservices: decomposition, strangler pattern, gateway, discovery, REST vs gRPC",
    13: "migrations: Alembic, expand/contract, locks, rolling and blue-green deploys",
    14: "caching: Redis vs Memcached, cache-aside/through/behind, invalidation, stampedes",
    15: "rate limiting: token and leaky buckets, windows, shared counters, middleware",
    16: "query optimization: EXPLAIN ANALYZE, indexes, SELECT *, N+1, pagination",
    17: "event-driven systems: task queues, streams, idempotent consumers, outbox",
    18: "deployment: images, multi-stage builds, graceful shutdown, manifests, CI/CD",
    19: "observability: structured logs, metrics, traces, errors, SLOs",
    20: "API versioning: URL and header versioning, compatibility, deprecation",
    21: "scalability and availability: queueing, scaling, fault tolerance",
    22: "consistency and consensus: consistency models, quorums, Raft and Paxos",
    23: "deadlocks: conditions, detection, prevention, distributed locks",
}

#: The course's parts, in order: a title and the numbers (of lessons and sets) it holds.
PARTS: list[tuple[str, range]] = [
    ("Part 1 · Advanced Python", range(1, 11)),
    ("Part 2 · Backend development and architecture", range(11, 21)),
    ("Part 3 · System design", range(21, 24)),
    ("Part 4 · Problem solving", range(31, 39)),
]
