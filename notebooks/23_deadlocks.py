# %% [markdown]
# # 23 · Deadlocks: conditions, detection, prevention, and locks across machines
#
# A deadlock is the quietest failure a system has: nothing crashes, nothing logs, the CPU is
# idle, and two pieces of work wait for each other forever. It happens between threads that
# share locks, between database transactions that update the same rows, and between processes
# on different machines that share a lock service. This lesson makes each of them happen on
# this machine (threads in this kernel, two transactions in a real PostgreSQL server, a lease
# lock in a real etcd server), then finds them the way real systems do and prevents them.
# [09 · Thread safety](09_thread_safety.ipynb) §9 already showed one deadlock and read the
# stuck threads' stacks with `faulthandler`; here we go further: why deadlocks happen (four
# conditions, each removed in code), how to find them automatically (a wait-for graph), what
# each cure costs (measured), and what changes when the lock lives on another machine.
#
# **Learning objectives.** By the end you can:
# - **name** the four Coffman conditions and **break** each one in code, knowing what each
#   fix costs;
# - **build** a wait-for graph from a lock table and **find** a deadlock as a cycle in it,
#   then **resolve** it by choosing a victim;
# - **read** lock waits in PostgreSQL's `pg_locks`, **measure** how `deadlock_timeout` sets
#   its detection time, and **retry** the victim's transaction;
# - **tell** deadlock from livelock and starvation, and **use** randomised back-off;
# - **explain** why a distributed lock must be a lease, why a lease needs a fencing token,
#   and what Redlock does and does not promise; **take** a lock on etcd with a lease, a
#   transaction and a revision as the token.
#
# **Prerequisites:** `threading.Lock`, `with` and lock ordering
# ([09 · Thread safety](09_thread_safety.ipynb)); SQL transactions; PostgreSQL as started by
# `advpy.services` ([11 · Authentication](11_auth.ipynb) uses the same handles); etcd, its
# revisions and its JSON gateway ([22 · Consistency and consensus](22_consistency_consensus.ipynb)).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import inspect

import psycopg

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.deadlocks import bankers, leases, livelock, pg, transfers
from advpy.lessons.deadlocks.plots import plot_detection, plot_strategies
from advpy.lessons.deadlocks.waitfor import find_cycle, wait_for_graph
from advpy.services import etcd_server, postgres_server, running_services

print(machine_summary())
print(f"psycopg {psycopg.__version__}")

# %% [markdown]
# ## 1. Four conditions, all needed
#
# Coffman, Elphick and Shoshani (1971) showed that a deadlock needs **all four** of these at
# once:
#
# 1. **Mutual exclusion**: a resource is held by one thread at a time (a lock, a row).
# 2. **Hold and wait**: a thread holds one resource while it waits for another.
# 3. **No preemption**: nobody can take a resource away from its holder; only the holder gives
#    it back.
# 4. **Circular wait**: a cycle of threads, each waiting for a resource the next one holds.
#
# The first three describe almost every program with locks; the fourth is the accident. Since
# all four are needed, breaking **any one** makes deadlock impossible. Here is the accident,
# with locks that report who holds them and who waits: two threads make opposite transfers,
# and a barrier forces the bad interleaving (each holds its first lock before either asks for
# its second).

# %%
print(inspect.getsource(transfers.naive))

# %% [markdown]
# ## 2. Finding a deadlock: the wait-for graph
#
# A **wait-for graph** has one node per thread and an edge `T1 -> T2` when T1 waits for a
# lock that T2 holds. A deadlock is exactly a **cycle** in it. The lock table, as plain data,
# and the graph built from it look like this for the classic case:

# %%
held = {"A0": ["T1"], "A1": ["T2"]}  # resource -> who holds it
wanted = {"T1": "A1", "T2": "A0"}  # blocked thread -> what it waits for
graph = wait_for_graph(held, wanted)
print("wait-for graph:", graph)
print("cycle:", find_cycle(graph))

# %% [markdown]
# `find_cycle` is a depth-first search that keeps the current path: meeting a node that is on
# the path closes a cycle; meeting a node already fully explored does not (in a diamond,
# `a -> b -> d` and `a -> c -> d`, `d` is reached twice without any cycle). It uses its own
# stack rather than recursion, so a chain of 100,000 waiters does not hit Python's recursion
# limit:

# %%
diamond = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
chain = {i: [i + 1] for i in range(100_000)}
print("diamond:", find_cycle(diamond))
print("chain of 100,000:", find_cycle(chain))
print("chain closed into a ring, cycle length:", len(find_cycle({**chain, 100_000: [0]}) or []))

# %% [markdown]
# Now on real threads. The detector is a thread that reads the lock table, builds the graph
# and, when it finds a cycle, does what a database does: it picks a **victim** (here the thread
# that started waiting last), whose wait fails with `DeadlockVictim`. The victim leaves its
# `with` blocks, which releases its lock, and tries its transfer again:

# %%
interval = pick(0.2, 0.05)
demo = transfers.opposite_transfers(interval)
print("wait-for graph while both waited:", demo.graph)
for found in demo.detections:
    print(f"cycle {found.cycle}, victim {found.victim}, found {found.waited * 1000:.0f} ms "
          "after the cycle closed")
print("balances:", demo.balances, f"(total {sum(demo.balances.values())})")

# %% [markdown]
# **What to notice.** The graph is the cycle `T1 -> T2 -> T1`, found by looking, not by
# guessing from a timeout: the detector knows *which* threads are stuck and *why*. The time to
# find it is the detector's interval (`interval` above): checking often costs
# work on every pass, checking rarely leaves threads stuck longer. PostgreSQL makes exactly
# this trade with `deadlock_timeout` (§4). Both transfers still happened (100 - 10 + 25 = 115):
# the victim's first attempt was undone by leaving the `with` blocks before it changed
# anything, a luxury a database gets from rolling back a transaction.
#
# ### Try it
# Make three threads deadlock in a ring (T1 holds A0 and wants A1, T2 holds A1 and wants A2,
# T3 holds A2 and wants A0) as plain data for `wait_for_graph`. What cycle comes out? Then let
# T3 want `A3`, which nobody holds: what does the graph say now?
# (Answer: [tryit/23 § 1](../solutions/tryit/23_deadlocks.md#1-a-ring-of-three).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Breaking each condition, measured
#
# The same random transfers (several threads, few accounts, so they collide often) run five
# ways, all under the same detector, which counts the cycles it finds:
#
# | strategy | condition broken | how |
# |---|---|---|
# | naive | none | payer's lock, then payee's; the detector's victims retry |
# | ordered | circular wait | both locks in one global order (by account name) |
# | all at once | hold and wait | take both under a gate: a holder never waits |
# | try-lock + back-off | no preemption | try the second lock; if busy, give back the first |
# | single owner | mutual exclusion | one thread owns all balances; others send it requests |

# %%
print(inspect.getsource(transfers.ordered))
print(inspect.getsource(transfers.try_lock_backoff))

# %%
runs = transfers.measure_strategies(
    threads=4, transfers=pick(500, 50), accounts=4, interval=pick(0.01, 0.005)
)
for run in runs:
    print(
        f"{run.strategy:>20} ({run.breaks:>19}): {run.per_second:7.0f} transfers/s, "
        f"{run.deadlocks:4d} deadlocks, {run.retries:4d} retries, "
        f"money {run.total_before} -> {run.total_after}"
    )
fastest = max(runs[1:], key=lambda run: run.per_second)
print(f"naive is {fastest.per_second / runs[0].per_second:.0f}x slower than {fastest.strategy}")

# %%
fig, ax = plot_strategies(runs)

# %% [markdown]
# **What to notice.** Only the naive strategy formed cycles, many of them: with four threads
# and four accounts, opposite pairs meet all the time. It still finished, and the money adds
# up, because the detector broke every cycle, but every deadlock cost a detector interval of
# two idle threads. The four cures all
# finished with **zero** cycles, as the theory promises, and each has its price:
#
# - **Ordering** is the cheapest and the usual answer, but every piece of code must know the
#   order, including code that discovers the second lock only after taking the first.
# - **All at once** needs to know every lock up front, and the gate serialises acquisition.
# - **Try-lock + back-off** needs no global knowledge but spends retries, and without
#   randomness it can livelock (§5).
# - **Single owner** (an actor, a queue in front of a single writer) removes locks entirely;
#   the owner is a bottleneck, which is why databases and Redis shard their single owners.
#
# Ordering usually comes out fastest, and the other three within a factor of about two of it
# (they pay for a gate, for retries, or for handing work to another thread); on a busy
# machine their order changes from run to run. The gap to the naive strategy is what
# deadlocks cost: 5 to 8 times slower when this lesson was written, fast and full mode.
#
# ### Try it
# Run the naive strategy with `accounts=40` instead of 4 (same threads and transfers). How
# many deadlocks now, and why? Does that make the naive code safe?
# (Answer: [tryit/23 § 2](../solutions/tryit/23_deadlocks.md#2-more-accounts).)

# %%
# Your experiment here.

# %% [markdown]
# ## 4. A real deadlock in PostgreSQL
#
# Row locks in a database are locks too, held until the transaction ends. Two transfers that
# update two rows in opposite orders deadlock exactly like the threads above. PostgreSQL
# detects it: a transaction that has waited for a lock for `deadlock_timeout` (1 s by default)
# runs the deadlock check, and if it sits on a cycle, the check aborts one transaction with
# SQLSTATE `40P01`, `deadlock detected`. The server here is a real one, in a fresh cluster of
# its own:

# %%
db = postgres_server()
print(db.client.execute("SELECT version()").fetchone()[0].split(",")[0])
print(pg.LOCK_WAITS)

# %% [markdown]
# T1 updates row 1 and T2 row 2; T1 then asks for row 2 and waits. While it waits,
# `pg_locks` shows it: T1 asks for a `ShareLock` on T2's *transaction id* (a row lock is
# waited for by waiting for the transaction that holds it), not granted, and
# `pg_blocking_pids` names T2's server process. Then T2 asks for row 1, closing the cycle.
# T1 is given a long `deadlock_timeout` (the setting is per session), so the check that
# finds the cycle is T2's, and what we time is T2's setting at work:

# %%
first = pg.pg_deadlock(db, deadlock_timeout_ms=200)
print("lock waits (application, locktype, mode, granted, blocked by):", first.waits)
print(f"victim {first.victim}: SQLSTATE {first.sqlstate} {first.message!r}, "
      f"{first.detected_after * 1000:.0f} ms after the cycle closed")
print("after the victim was retried:", first.balances)

# %% [markdown]
# The server's log says which processes waited for which (its own wait-for graph, in words):

# %%
for line in pg.deadlock_log_lines(db)[-3:]:
    print(line.split("UTC ")[-1])

# %% [markdown]
# How long does detection take, as a function of the setting?

# %%
settings = pick([20, 100, 300, 1000], [20, 100, 300])
detections = pg.measure_detection(db, settings)
for record in detections:
    print(f"deadlock_timeout {record.deadlock_timeout_ms:5d} ms: detected after "
          f"{record.detected_after * 1000:6.0f} ms, victim {record.victim}")

# %%
fig, ax = plot_detection(detections)

# %% [markdown]
# **What to notice.** Detection comes just after `deadlock_timeout`, at every setting: the
# check runs once a transaction has waited that long, not continuously. The default of 1 s is
# chosen because the check is expensive (it locks the whole lock table) and most waits end on
# their own; a lower value finds deadlocks sooner but runs the check on every ordinary wait
# that lasts longer than it. Either way the victim's work is lost and must be **retried by the
# application**: PostgreSQL rolls back, it never retries for you.
#
# Retrying makes the naive code correct, not good. Two threads make opposite transfers, with
# the rows in payer-first order and then in id order:

# %%
print(inspect.getsource(pg.transfer))

# %%
rounds = pick(40, 10)
for ordered in (False, True):
    run = pg.opposite_transfers(db, rounds=rounds, ordered=ordered, deadlock_timeout_ms=50)
    print(f"{run.order:>12}: {run.transfers} transfers, {run.deadlocks} deadlocks retried, "
          f"balances {run.balances}, {run.seconds:.2f} s")

# %%
db.stop()
print("PostgreSQL stopped:", not db.running)

# %% [markdown]
# **What to notice.** Payer-first order deadlocked in many rounds, and every retry cost
# the detection time plus redone work; id order (the same rule as §3's `ordered`, here "update
# rows by primary key ascending", or `SELECT ... ORDER BY id FOR UPDATE` first) gave none.
# The balances add up in both: a retried transaction is all or nothing.
#
# ### Try it
# In the retry loop of `pg.transfer`, what goes wrong if the `except` catches the error but
# the loop retries only the *second* `UPDATE` instead of the whole transaction?
# (Answer: [tryit/23 § 3](../solutions/tryit/23_deadlocks.md#3-retry-what).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Livelock and starvation
#
# Try-lock with back-off breaks "no preemption", but it can fail in a new way: two polite
# threads that each take one lock, see the other's busy, give theirs back, wait **the same**
# time and try again, forever in step. Nobody is blocked and both are busy: a **livelock**.
# Real threads rarely stay in perfect step for long, so it is shown here in a small model
# where time moves in ticks:

# %%
stuck = livelock.polite_workers(jitter=False)
print(stuck)
median, worst = livelock.jitter_ticks(pick(2000, 200))
free = livelock.polite_workers(jitter=True)
print(free)
print(f"with random pauses, over many seeds: median {median:.0f} ticks, worst {worst}")

# %% [markdown]
# **What to notice.** With a fixed pause both workers took their first lock hundreds of times
# and never finished; with a random pause (1 to 4 ticks) the symmetry breaks within a few
# rounds. That is why back-off is **randomised** (and usually exponential, as in
# `try_lock_backoff` above, and in Ethernet and TCP). **Starvation** is the third failure: one
# thread keeps losing (to a stream of readers holding a reader-writer lock, to higher
# priorities, to a victim choice that always picks the same transaction). Fair locks (first
# come, first served), aging priorities and bounded retries are the cures; PostgreSQL, for
# instance, queues lock requests so that a waiting writer is not overtaken forever.

# %% [markdown]
# ## 6. Avoidance: the banker's algorithm
#
# Prevention breaks a condition; detection lets deadlocks happen and cleans up; **avoidance**
# grants a lock only if the system stays *safe*. Dijkstra's banker's algorithm needs every
# process to declare its maximum need in advance. A state is safe when some order lets every
# process get the rest of its maximum, finish, and give everything back:

# %%
maximum = {"P1": [5, 3], "P2": [3, 2], "P3": [4, 2]}  # the most each may ever hold
allocation = {"P1": [1, 0], "P2": [2, 1], "P3": [1, 1]}  # what each holds now
available = [3, 2]  # what is free
print("safe order:", bankers.safe_order(available, maximum, allocation))
print("grant P2 [1, 0]?", bankers.grant(available, maximum, allocation, "P2", [1, 0]))
print("grant P1 [3, 2]?", bankers.grant(available, maximum, allocation, "P1", [3, 2]))

# %% [markdown]
# **What to notice.** P1's request fits in what is free, and is refused anyway: after it,
# nobody could be sure to finish. Avoidance is rare in practice because few programs know
# their maximum needs, and the check runs on every request; operating systems and databases
# detect instead, and application code prevents by ordering.

# %% [markdown]
# ## 7. Locks across machines: leases and fencing tokens
#
# A lock held by a process on another machine cannot simply be held until released: the
# holder may crash or lose the network, and the lock would be held forever. So a distributed
# lock is a **lease**: it expires after a time unless renewed. That breaks "no preemption" on
# purpose, and brings a new danger: a holder that **pauses** (a long garbage collection, a
# stopped VM, a swapped-out page) longer than its lease wakes up still believing it holds
# the lock, while someone else does. The cure is a **fencing token**: a number that grows with
# every grant, sent with every write; the storage remembers the highest token it has seen and
# refuses smaller ones.
#
# A lock service needs consensus behind it (a lock that two partitions both grant is no lock),
# so here it is **etcd**, the Raft store of lesson 22, as a cluster of one member. etcd gives a
# lock service the parts it needs:
#
# | part | etcd v3 call | role in the lock |
# |---|---|---|
# | lease | `/v3/lease/grant`, a TTL in seconds | the lock's lifetime, unless renewed |
# | lock key | `/v3/kv/txn`: if `create_revision == 0`, put | only if absent; on the lease |
# | revision | the header of that transaction | the fencing token: every write raises it |
# | keep-alive | `/v3/lease/keepalive` | renews the lease for another TTL |
# | revoke | `/v3/lease/revoke` | release: ends the lease, which deletes its key |

# %%
lock_server = etcd_server()
print("etcd", leases.etcd_version(lock_server), "at", lock_server.url)
print(inspect.getsource(leases.EtcdLock.acquire))

# %% [markdown]
# A key's `create_revision` is 0 exactly when the key does not exist, so the compare and the
# put happen as one transaction: two clients that race for the lock cannot both succeed. The
# loser gets `succeeded` false and gives its unused lease back. A and B, one lock:

# %%
lock = leases.EtcdLock(lock_server.client, "demo-lock", ttl_s=30)
a = lock.acquire("A")
print("A:", a, "| holder:", lock.holder())
print("B while A holds it:", lock.acquire("B"))
print("A renews for", lock.keep_alive(a), "s | A releases:", lock.release(a))
print("holder now:", lock.holder())
b = lock.acquire("B")
print("B:", b, f"| token grew by {b.token - a.token}")
print("B releases:", lock.release(b), "| again:", lock.release(b))

# %% [markdown]
# B's token is larger than A's, and not by one: releasing A's lease deleted A's key, which was a
# write too. The token is not a count of grants but the cluster's revision, which every write
# raises; all that fencing needs is that a later holder's token is larger.
#
# **Keep-alive and expiry.** A holder that works longer than the TTL renews its lease, here
# every half TTL; when it stops (it crashed, or it is paused), etcd ends the lease and deletes
# the key. How long after the last renewal did the key vanish?

# %%
ttl_s = pick(2, 1)
expiry = leases.keep_alive_then_expire(lock_server.client, ttl_s=ttl_s)
print(f"TTL {expiry.ttl_s} s, renewed {expiry.renewals} times over {expiry.kept_s:.1f} s: "
      f"still held {expiry.held_after_keep_alive}")
print(f"after the last renewal, the key was gone after {expiry.gone_after_s:.2f} s")

# %% [markdown]
# **What to notice.** Renewed, the lock outlived its TTL; left alone, its key went a little
# **after** the TTL, not at it: etcd 3.4 looks for expired leases every half second, and
# revokes them through Raft like any write. A lease promises "held at least this long after the
# last renewal", never "gone exactly then".
#
# etcd's own lock recipe, the `concurrency` package of its Go client behind the
# `etcdctl lock` command, is built from these parts: a session holds a lease and keeps it
# alive; each contender puts a key `NAME/<its lease id>` attached to it, in a transaction that
# creates it only if absent; the contender whose key has the smallest create revision holds the
# lock, the others wait until every key created before theirs is deleted. `etcdctl lock NAME --
# COMMAND` runs the command while it holds the lock and hands it the key and the revision at
# which it got the lock, a fencing token, in two environment variables:

# %%
print(leases.etcdctl_lock(lock_server, "report"))

# %% [markdown]
# Now the paused holder. A takes the lock and pauses until its lease has ended; B takes the
# lock and writes; A wakes and writes too. Each write goes to two stores, one that takes every
# write and one that checks the token (a few lines of Python standing for a file server or a
# database: the storage is not etcd's business):

# %%
print(inspect.getsource(leases.Storage.write))

# %%
story = leases.paused_holder(lock_server.client, ttl_s=ttl_s)
print("\n".join(story.events))
print("stored at the end: plain store", repr(story.plain), "| fenced store", repr(story.fenced))

# %%
lock_server.stop()
print("etcd stopped:", not lock_server.running, "| services left running:", running_services())

# %% [markdown]
# **What to notice.** Without fencing, A's stale write **overwrote** B's, although B held the
# lock when both wrote: the lock alone did not protect the data. With fencing the store
# refused A's smaller token after it had seen B's. And A's release did not delete B's key:
# release revokes A's own lease (already ended), and B's key hangs on B's lease. Fencing needs
# the *storage* to check tokens; a lock service alone cannot make a paused client harmless.
# The graded set [ps23](exercises/ps23_deadlocks.ipynb) asks you to build the same idea on
# Redis, where the lease is a key with an expiry and the token a counter.
#
# **Redlock**, Redis's algorithm for a lock over N independent Redis masters, takes the lock
# on a majority within a time shorter than the lease, and counts the lease as valid for what is
# left minus an allowance for clock drift. It promises mutual exclusion only if processes pause
# for less than the lease, networks deliver within bounds, and clocks run at nearly the same
# rate; it hands out no fencing token, so it cannot make the pause above harmless. Martin
# Kleppmann's critique ("How to do distributed locking", 2016) and Salvatore Sanfilippo's
# reply agree on the facts and differ on how likely the bad timing is. Use a single Redis lock
# for efficiency (two workers rarely doing the same job twice), and for correctness a
# consensus-backed service with fencing, as above; ZooKeeper's sequential znodes serve the
# same way as etcd's revisions.
#
# ### Try it
# `paused_holder` pauses A until its key is gone. Start a server again with `etcd_server()`
# and pass `pause_s=0.5` (shorter than the TTL): what happens? And why is renewing the lease
# from a background thread of the same process (a keep-alive, as `etcdctl lock` does) not a
# full cure?
# (Answer: [tryit/23 § 4](../solutions/tryit/23_deadlocks.md#4-renewing-the-lease).)

# %%
# Your experiment here (and `.stop()` the server when done).

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Timeouts are not detection.** `lock.acquire(timeout=5)` turns a deadlock into an error,
# but also turns every slow holder into one; a detector that reads the wait-for graph knows
# which threads are on a cycle. Python's `threading` has no detector: a deadlocked program
# just stops (lesson 09 reads its stacks with `faulthandler.dump_traceback`).
#
# **`RLock` is not a cure.** A re-entrant lock lets one thread take the *same* lock twice; two
# threads taking two `RLock`s in opposite order deadlock exactly as with `Lock`.
#
# **Hidden lock order.** Ordering only works if every path follows it: a callback, a logging
# handler that takes its own lock, a `__del__` or a signal handler can take locks in an order
# nobody wrote down. Keep critical sections small and never call unknown code while holding a
# lock.
#
# **Deadlocks without locks.** A thread that `join()`s a thread waiting for it, a process that
# fills a pipe the other side does not read (`subprocess` with `stdout=PIPE` and `wait()`), two
# `asyncio` tasks awaiting each other's futures: any cycle of waiting is a deadlock.
#
# **Databases.** Foreign keys, unique indexes and `SELECT ... FOR UPDATE` take row locks too;
# a deadlock can involve rows your query never named. Keep transactions short, touch rows in a
# fixed order, and retry on `40P01` (and on `40001` serialization failures) with a limit.
#
# **Leases and clocks.** A lease is measured by the lock server's clock; a client that checks
# "my lease still has 2 s" on its own clock, then pauses, has no guarantee at all. Only the
# storage's token check is safe against pauses.

# %% [markdown]
# ## Summary
#
# - A deadlock needs mutual exclusion, hold and wait, no preemption **and** circular wait;
#   breaking any one prevents it: single owner, all-at-once acquisition, try-lock with back-off,
#   a global lock order (the usual choice), each with a measured price.
# - A wait-for graph (an edge per "waits for a lock held by") finds deadlocks as cycles; a
#   detector then aborts a victim, which retries.
# - PostgreSQL shows lock waits in `pg_locks` and `pg_blocking_pids`, checks for a cycle after
#   `deadlock_timeout` (detection measured just after the setting), aborts one transaction with
#   `40P01`, and leaves the retry to the application; updating rows in a fixed order avoids it.
# - Livelock is busy waiting in step (fixed back-off), cured by random back-off; starvation is
#   one party always losing, cured by fairness.
# - A distributed lock is a lease; a paused holder outlives it, so writes carry fencing tokens
#   the storage checks. On etcd: a lease with a TTL, a key created only if absent in one
#   transaction, its revision as the token, keep-alive to hold on, revoke to release; an
#   unrenewed key went a little after its TTL, not at it. Redlock gives no tokens and assumes
#   bounded pauses and clock drift.
#
# **Graded exercises:** [exercises/ps23_deadlocks.ipynb](exercises/ps23_deadlocks.ipynb):
# `wait_for_graph` builds the graph from a lock table, `find_deadlock` returns a cycle or None,
# and a lease lock with fencing tokens (`acquire_lease`, `release_lease`, `fenced_write`) is
# checked against a real Redis server.
