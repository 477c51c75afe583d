# %% [markdown]
# # 09 · Thread safety: locks, conditions, queues, and the races the GIL lets through
#
# A web server answers requests in threads; a job runner hands work to a pool; a cache is read
# by every request at once. As soon as two threads share an object, its invariants can break:
# a counter loses updates, a cache loads the same key ten times, two transfers stop each other
# for good. The GIL does not prevent any of this. This lesson builds the tools, one problem at a
# time, and measures what each costs on your machine.
#
# **Learning objectives.** By the end you can:
# - **protect** a read-modify-write with a `Lock` and `with`, and **choose** an `RLock` only
#   where a thread must take a lock it already holds;
# - **coordinate** threads with `Condition`, `Semaphore`/`BoundedSemaphore`, `Event` and
#   `Barrier`;
# - **build** a producer-consumer pipeline on `queue.Queue` with back-pressure, sentinels and a
#   clean shutdown, and keep per-thread state in `threading.local`;
# - **tell** which operations CPython happens to make atomic, and **explain** why code should
#   not rely on it;
# - **reproduce**, **diagnose** (timeout + `faulthandler`) and **fix** a lock-ordering deadlock,
#   and **measure** lock contention with one lock against striped locks.
#
# **Prerequisites.** [01 · The GIL](01_gil.ipynb), section 1: it shows four threads losing
# updates to one counter, and where the interpreter can switch threads. This lesson starts
# from that race and does not repeat it.

# %% [markdown]
# ## Setup
# Run this cell first. Measurements print the machine they ran on; with `ADVPY_FAST=1` every
# measurement is smaller, so the notebook runs in seconds.

# %%
# %matplotlib inline
import inspect
import queue
import sqlite3
import threading
import time

from advpy.lessons import context, timing
from advpy.lessons.context import pick
from advpy.lessons.thread_safety import contention, deadlock, pipeline, primitives, races
from advpy.lessons.thread_safety.plots import plot_contention, plot_queue_lengths

print(context.machine_summary())
print(timing.load_note())

# %% [markdown]
# ## 1. `Lock` and `with`: one thread at a time in the critical section
#
# In lesson 01, four threads ran `counter.value += one()` and lost most of their updates: a
# thread read the value, was switched out at the call to `one()`, and later wrote back a stale
# sum. The fix is to make the read, the add and the write a **critical section** that only one
# thread can be in at a time. That is what a `threading.Lock` is for: `acquire()` waits until
# no other thread holds it, `release()` lets the next one in, and `with lock:` does both, even
# when the block raises.

# %%
print(inspect.getsource(races.add_one_locked))

# %% [markdown]
# The same race as in lesson 01 (four threads, a 1 µs switch interval), with and without the
# lock:

# %%
counter_runs = races.measure_counter(times=pick(200_000, 100_000), threads=4)
for r in counter_runs:
    tries = f" (in run {r.runs} of up to {races.RACE_RUNS})" if r.runs > 1 else ""
    print(f"{r.code:34}: {r.lost:>9,} of {r.expected:,} updates lost{tries}")

# %% [markdown]
# **What to notice.** Without the lock, threads still get switched out between the read and the
# write, and updates vanish. With it, a thread can still be switched out at the call to `one()`,
# but every other thread then waits at `with counter.lock:` until the write is done: none is
# lost, on every run. The lock makes the result correct; it does not stop switches.
#
# `with` matters: it releases the lock even when the block raises. A bare `acquire()` followed
# by an exception leaves the lock held, and every thread that wants it later waits forever.

# %%
lock = threading.Lock()
try:
    with lock:
        raise ValueError("something failed inside the critical section")
except ValueError:
    pass
print("still locked after the error?", lock.locked())

# %% [markdown]
# ### 1.1 What a lock costs when nobody else wants it
#
# One thread alone, adding to a counter with and without a lock around each addition:

# %%
for cost in races.measure_lock_cost(pick(500_000, 50_000)):
    print(f"{cost.code:20}: {cost.nanoseconds:6.0f} ns per update")

# %% [markdown]
# **What to notice.** An uncontended lock adds a fixed cost per acquisition (a few hundred
# nanoseconds here, several times the bare addition). That is cheap next to any I/O, and
# expensive only in a hot loop: there, take the lock once around a batch of work rather than
# once per item. What really costs is *contention*, threads waiting for each other; section 10
# measures it.
#
# ### Try it
# Write `add_batch_locked(counter, times)` that takes `counter.lock` once around the whole loop
# instead of once per update, and time both with `timing.best_time`. Is it still correct when
# four threads run it? What do the other threads do meanwhile?
# (Answer: [tryit/09 § 1](../solutions/tryit/09_thread_safety.md#1-one-lock-around-the-whole-loop).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. `RLock`: when a thread must take a lock it already holds
#
# A `Lock` does not know who holds it. If the thread that holds it calls `acquire()` again, it
# waits for itself, forever. That happens as soon as one locked method calls another. Here
# `restock` holds the lock while it calls `add`, which takes the same lock:

# %%
print(inspect.getsource(primitives.Stock))

# %%
plain = primitives.Stock(threading.Lock())
print(
    "Lock : restock still waiting after 0.5 s?",
    primitives.waits_forever(lambda: plain.restock([1, 2])),
)
reentrant = primitives.Stock(threading.RLock())
print(
    "RLock: restock still waiting after 0.5 s?",
    primitives.waits_forever(lambda: reentrant.restock([1, 2])),
)
print("items after the RLock restock:", reentrant.items)

# %% [markdown]
# **What to notice.** With a `Lock`, `restock` hangs (the demo runs it in a daemon thread that
# it abandons after 0.5 s, so the notebook goes on). An `RLock` remembers its owner and counts
# how many times that thread acquired it; it is free again when the count drops back to zero.
# Section 1.1 timed what its bookkeeping adds per acquisition.
#
# Reach for an `RLock` when re-entry is really part of the design (callbacks that may call back
# into the object, recursive structures). Often the cleaner fix is a private helper that
# assumes the lock is held (`_add_unlocked`) called by public methods that take it. An `RLock`
# does **not** prevent deadlocks between *different* locks (section 9).

# %% [markdown]
# ## 3. `Condition`: sleep until something is true
#
# A consumer that polls `while not items: time.sleep(0.01)` wastes time and still reacts late.
# A `threading.Condition` wraps a lock and lets a thread **sleep until another thread says the
# state changed**. `wait_for(predicate)` releases the lock while it sleeps, takes it back when
# woken, and checks the predicate again; `notify_all()` wakes the sleepers. A bounded buffer is
# the classic use:

# %%
print(inspect.getsource(primitives.BoundedBuffer))

# %%
buffer = primitives.BoundedBuffer(capacity=2)
seen_sizes, received = [], []


def consume(count):
    for _ in range(count):
        time.sleep(0.002)  # a slow consumer
        received.append(buffer.get())


consumer = threading.Thread(target=consume, args=(10,))
consumer.start()
for item in range(10):
    buffer.put(item)  # waits while 2 items are waiting
    seen_sizes.append(len(buffer.items))
consumer.join()
print("received in order:", received == list(range(10)), "| most items waiting:", max(seen_sizes))

# %% [markdown]
# **What to notice.** The producer never got more than two items ahead, and it did not spin:
# it slept in `wait_for` until the consumer took an item and notified. Always wait **in a loop**
# on a predicate (`wait_for` is that loop): another thread may have changed the state again
# between the notify and the moment this one gets the lock back. `notify` without holding the
# lock raises `RuntimeError`.

# %% [markdown]
# ## 4. `Semaphore` and `BoundedSemaphore`: at most N at once
#
# A semaphore holds a count: `acquire()` takes one (waiting while there are none), `release()`
# gives one back. With a count of N, at most N threads are inside at once: a database allows
# 3 connections, an API 5 calls in flight. A batch of jobs, each in its own thread and
# holding a "connection" for 20 ms:

# %%
jobs = pick(20, 12)
free = primitives.measure_connection_limit(jobs, None)
capped = primitives.measure_connection_limit(jobs, 3)
for run in (free, capped):
    print(
        f"limit {run.limit!s:>4}: at most {run.peak:2} at once, {run.seconds * 1000:5.0f} ms in all"
    )

# %% [markdown]
# **What to notice.** Without a cap, nearly every thread held a connection at the same time.
# With `BoundedSemaphore(3)` never more than 3 did, and the total time grew to about
# ⌈jobs / 3⌉ × 20 ms. The *bounded* kind also catches a bug the plain one hides: releasing more
# often than acquiring.

# %%
loose, strict = threading.Semaphore(2), threading.BoundedSemaphore(2)
loose.release()  # one release too many: the count silently becomes 3
try:
    strict.release()
except ValueError as error:
    print("BoundedSemaphore:", error)

# %% [markdown]
# ## 5. `Event` and `Barrier`: signals between threads
#
# An `Event` is a flag that threads can wait on: `set()`, `clear()`, `is_set()`, and
# `wait(timeout)`, which returns as soon as it is set. It is the usual way to ask a background
# thread to stop; `wait(interval)` doubles as its sleep, so it stops at once instead of after
# its next nap.

# %%
stop = threading.Event()
ticks = []


def heartbeat():
    while not stop.wait(0.01):  # sleeps 10 ms, or returns True at once when stop is set
        ticks.append(time.perf_counter())


beat = threading.Thread(target=heartbeat)
beat.start()
time.sleep(0.1)
asked = time.perf_counter()
stop.set()
beat.join()
print(f"{len(ticks)} beats; stopped {(time.perf_counter() - asked) * 1000:.1f} ms after set()")

# %% [markdown]
# A `Barrier(n)` holds threads until `n` of them have called `wait()`, then releases them all
# together. Every measurement in this lesson and in lesson 01 starts its threads behind one, so
# that no thread finishes before the last one has started.

# %%
gate = threading.Barrier(3)
arrived, left = [], []


def runner(delay):
    time.sleep(delay)
    arrived.append(time.perf_counter())
    gate.wait()
    left.append(time.perf_counter())


racers = [threading.Thread(target=runner, args=(d,)) for d in (0.0, 0.02, 0.04)]
for t in racers:
    t.start()
for t in racers:
    t.join()
print("nobody left before the last arrival:", min(left) >= max(arrived))

# %% [markdown]
# ## 6. `queue.Queue`: producers, consumers, back-pressure and a clean shutdown
#
# Most thread code is easier to get right when threads do not share objects at all but pass
# them through a `queue.Queue`, which does its own locking: `put` and `get` are thread-safe,
# `get` waits while the queue is empty and, with `maxsize`, `put` waits while it is full. That
# wait is **back-pressure**: a producer faster than its workers is held to their pace instead
# of piling items up in memory.
#
# `pipeline.run_pipeline` feeds 100 items to 4 workers that need 5 ms per item, once through an
# unbounded `Queue()` and once through `Queue(maxsize=5)`, and samples the queue's length:

# %%
items = pick(200, 100)
runs = [
    pipeline.run_pipeline(range(items), workers=4, maxsize=size, work_seconds=0.005)
    for size in (0, 5)
]
fig, ax = plot_queue_lengths(runs)

# %%
for run in runs:
    name = "Queue()" if run.maxsize == 0 else f"Queue(maxsize={run.maxsize})"
    print(
        f"{name:16}: {run.handled} of {run.items} handled, peak {run.peak:3} waiting, producer "
        f"done after {run.produced_at[-1] * 1000:5.1f} ms of {run.seconds * 1000:5.0f} ms, "
        f"threads left running: {run.threads_left}"
    )

# %% [markdown]
# **What to notice.** Unbounded, the producer was done after a small fraction of the run, and
# nearly every item sat in the queue: with a million items, a million would sit in memory. Bounded,
# never more than 5 waited, and the producer finished only near the end, held back by `put`.
# Both took about the same total time: the workers set the pace either way.
#
# **Shutting down.** The workers must learn that no more items will come. The producer puts one
# **sentinel** per worker after the last item, each worker stops when it takes one, and the
# caller `join()`s every thread: "threads left running: 0" above.

# %%
print(inspect.getsource(pipeline.worker_loop))
print("the sentinel:", pipeline.STOP)

# %% [markdown]
# The sentinel is a fresh `object()`, which no item can be. `None` is a popular choice and a bug
# waiting for the first `None` item: the worker that takes it stops early, and that item is
# never handled.
#
# `task_done()` and `join()` are the queue's other way to wait: each worker calls `task_done()`
# once per item it took, and `tasks.join()` returns when every item put has been marked done.
# It tells you the work is finished, **not** that the workers have stopped:

# %%
tasks = queue.Queue()
done_items = []


def worker():
    while True:
        item = tasks.get()
        done_items.append(item * 2)
        tasks.task_done()


helpers = [threading.Thread(target=worker, daemon=True) for _ in range(3)]
for t in helpers:
    t.start()
for n in range(20):
    tasks.put(n)
tasks.join()  # every item processed...
print(len(done_items), "items done; workers still alive:", sum(t.is_alive() for t in helpers))

# %% [markdown]
# **What to notice.** After `join()` returned, all three workers were still alive, blocked in
# `get()` forever. They are daemon threads, so they will not stop Python from exiting, but they
# are killed mid-step at exit, which is no way to stop a thread that writes files. Use
# `task_done`/`join` to wait for a batch, and sentinels (or an `Event`) to stop threads.
#
# ### Try it
# Write your own worker loop that stops at `None` instead of `pipeline.STOP`, start 2 workers
# on one queue, put `[1, None, 2, 3]` and then one `None` per worker. What is handled, what is
# lost, and does anything hang?
# (Answer: [tryit/09 § 2](../solutions/tryit/09_thread_safety.md#2-none-as-the-sentinel).)

# %%
# Your experiment here.

# %% [markdown]
# ## 7. `threading.local`: one value per thread
#
# Some objects must not be shared at all. A `sqlite3` connection, by default, refuses to be
# used by any thread but the one that created it:

# %%
shared_connection = sqlite3.connect(":memory:")
errors = []


def use_shared():
    try:
        shared_connection.execute("select 1")
    except sqlite3.ProgrammingError as error:
        errors.append(str(error))


t = threading.Thread(target=use_shared)
t.start()
t.join()
print(errors[0])

# %% [markdown]
# A `threading.local()` object has **separate attributes in every thread**: a thread sees only
# what it stored itself. So each thread can lazily open its own connection:

# %%
per_thread = threading.local()
opened = []


def connection():
    if not hasattr(per_thread, "db"):  # first use in this thread
        per_thread.db = sqlite3.connect(":memory:")
        opened.append(threading.current_thread().name)
    return per_thread.db


def query(_):
    for _ in range(3):
        connection().execute("select 1")


workers = [threading.Thread(target=query, args=(i,), name=f"worker-{i}") for i in range(3)]
for t in workers:
    t.start()
for t in workers:
    t.join()
print("connections opened:", sorted(opened))

# %% [markdown]
# **What to notice.** Three threads, nine queries, three connections: one per thread, reused
# within it. Web frameworks keep the current request or database session this way (or in
# `contextvars`, which also works across `asyncio` tasks). Thread pools reuse threads, so a
# thread-local outlives the task that set it: reset it when a task ends.

# %% [markdown]
# ## 8. What is atomic in CPython, and why not to lean on it
#
# Under the GIL, a single call into a built-in type runs start to finish without another
# Python thread touching the object: `list.append`, `list.pop`, `dict[key] = value`,
# `dict.setdefault`, `deque.append`/`popleft`, `next()` on an `itertools.count`. Lesson 01
# showed four threads appending to one list without losing an item. Anything made of *several*
# steps is another matter. Counting words into a shared dict is a classic:

# %%
dict_runs = races.measure_dict_count(words=pick(200_000, 100_000), threads=4)
for r in dict_runs:
    print(f"{r.code:44}: {r.lost:>8,} of {r.expected:,} counts lost")

# %% [markdown]
# **What to notice.** `counts[w] = counts.get(w, 0) + 1` reads with one call and writes with
# another step; a switch at the call lets another thread's count be overwritten. Under the lock
# nothing is lost.
#
# Why "atomic because of the GIL" is a fragile thing to rely on:
# - **It is a property of one interpreter**, not of the language: the documentation calls it an
#   implementation detail. Other implementations, and CPython's own free-threaded builds (3.13
#   and later, `python3.13t`), run threads truly in parallel. Those builds give the built-in
#   containers internal locks so that single operations stay safe, but every compound step races
#   far more often. This interpreter:

# %%
m = context.machine()
print(f"free-threaded build: {m.free_threaded_build}; GIL enabled: {m.gil_enabled}")

# %% [markdown]
# - **"One operation" can run Python code.** `d[key] = value` calls the key's `__hash__` and
#   `__eq__`, and replacing a value can run its `__del__`. If those are written in Python, a
#   thread switch can happen in the middle of the "atomic" store.
# - **It breaks silently when the code changes.** `items.append(x)` is safe; the innocent
#   refactoring `if x not in items: items.append(x)` is a check-then-act race, and nothing
#   warns you.
#
# So: use a lock, or a structure that documents its thread safety (`queue.Queue`), whenever
# threads share state that changes, and treat the atomicity of single built-in operations as a
# bonus, never as the design.
#
# ### Try it
# Count the same words with a `collections.defaultdict(int)` and `counts[w] += 1`, no lock,
# four threads, `sys.setswitchinterval(1e-6)` (put it back afterwards). Predict, then measure:
# are counts lost? Does that make it safe?
# (Answer: [tryit/09 § 3](../solutions/tryit/09_thread_safety.md#3-defaultdict-and-)).

# %%
# Your experiment here.

# %% [markdown]
# ## 9. A real deadlock: lock ordering
#
# Each bank account has its own lock, so transfers between different accounts can run at the
# same time. A transfer needs both accounts' locks. The obvious code takes the payer's lock,
# then the payee's:

# %%
print(inspect.getsource(deadlock.transfer_naive))

# %% [markdown]
# Thread 1 runs `transfer(x, y, 10)` while thread 2 runs `transfer(y, x, 25)`. Thread 1 takes
# `x.lock`, thread 2 takes `y.lock`, and now each waits for the lock the other holds. Neither
# will ever let go: a **deadlock**. `_meet()` makes both threads hold their first lock before
# either asks for the second, which turns a rare bad timing into a certain one.
#
# The demo runs in its **own Python process**: a deadlocked thread cannot be killed from
# inside, and it would freeze this kernel. The program waits for its threads with a timeout
# (`join(3)`); if they are still alive, it prints every thread's stack with
# `faulthandler.dump_traceback` and leaves with `os._exit` (a normal exit would wait for the
# stuck threads forever).

# %%
stuck = deadlock.run_demo("naive")
print(stuck.output.splitlines()[0])
print(f"exit code {stuck.returncode}, after {stuck.seconds:.1f} s; the stuck threads wait at:")
for line in stuck.where_stuck():
    print("  ", line)

# %% [markdown]
# **What to notice.** Both threads are stuck on the same line, `with b.lock:`, each holding the
# lock the other wants. That is what to look for in a real hang: stacks of threads waiting to
# acquire, and what each already holds. `faulthandler.dump_traceback_later(seconds, exit=True)`
# sets up the same dump as a watchdog that fires if a program is still running after
# `seconds`; the demo uses it as a safety net.
#
# **The fix: one global order.** If every thread takes the locks in the same order, say the
# account with the smaller number first, no cycle of waiting can form: whoever holds the first
# lock can always get the second.

# %%
print(inspect.getsource(deadlock.transfer_ordered))
fixed = deadlock.run_demo("ordered")
print(fixed.output.strip())

# %% [markdown]
# **What to notice.** Same accounts, same opposite transfers, same forced timing: it finished,
# and the balances add up (100 - 10 + 25 = 115, and 85). It took about a second because the
# thread that got `x.lock` first waited at `_meet()` for a partner that could not come until
# it let go: the barrier's timeout. Other fixes exist: one lock for all accounts (simple, but
# no two transfers run at once), or taking the second lock with `acquire(timeout=...)` and
# backing off when it fails. Lesson 23 (deadlocks) goes deeper: the four
# conditions, detection, and locks across machines.
#
# ### Try it
# Write `transfer_backoff(a, b, amount)` that takes `a.lock`, then tries `b.lock` with
# `acquire(timeout=0.05)`; if that fails, it releases `a.lock`, sleeps a random few
# milliseconds, and starts again. Run two of them in opposite directions in daemon threads and
# check that both finish.
# (Answer: [tryit/09 § 4](../solutions/tryit/09_thread_safety.md#4-back-off-instead-of-order).)

# %%
# Your experiment here.

# %% [markdown]
# ## 10. Lock contention: one lock against striped locks
#
# A lock is correct and cheap until threads queue up for it. Each operation here saves a record
# to a slow store, 0.5 ms of waiting like a network or disk round trip (`time.sleep`, which
# releases the GIL as real I/O does), then notes the key in a shared index, a dict. Three ways
# to guard the index:
# - **one lock** around the save and the update: everyone waits for everyone;
# - **striped locks**: 16 locks, the key choosing one (`key % 16`); two operations wait for
#   each other only when their keys fall on the same stripe;
# - **one lock, update only**: save outside any lock, and lock just the dict update.

# %%
thread_counts = [1, 2, 4, 8]
records = contention.measure_contention(
    thread_counts, operations=pick(1_600, 400), repeats=pick(2, 1)
)
fig, ax = plot_contention(records)

# %%
for strategy in contention.STRATEGIES:
    line = {r.threads: r.throughput for r in records if r.strategy == strategy}
    print(
        f"{strategy:22}: {line[1]:7,.0f} ops/s with 1 thread, {line[max(thread_counts)]:7,.0f} "
        f"with {max(thread_counts)} ({line[max(thread_counts)] / line[1]:.1f}x)"
    )

# %% [markdown]
# **What to notice** (the numbers move from run to run on a busy machine; the shape does not):
# - With **one lock** held across the save, more threads bring nothing: one save at a time,
#   about 1 / 0.5 ms operations per second however many threads wait.
# - **Striped locks** let saves on different stripes overlap, so throughput rises with the
#   threads; it stays below the ideal because 8 random keys on 16 stripes often collide.
# - **Shrinking the critical section** did best, with a single lock: the slow part runs outside
#   it, and the lock is held only for a dict update that takes well under a microsecond. Move
#   work out of the lock before you split the lock.
# - These threads overlap because they *wait*. Pure-Python computation under one GIL does not
#   speed up with threads however you lock it (lesson 01 measures that, and why the course
#   notes say to prefer `multiprocessing` for CPU-bound work).
#
# ### Try it
# Run `contention.measure_contention(thread_counts, operations=400, stripes=2)` and then with
# `stripes=64`. How does the striped line change, and why?
# (Answer: [tryit/09 § 5](../solutions/tryit/09_thread_safety.md#5-fewer-stripes).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# - **Holding a lock while calling out.** A lock held around a callback, a network call or a
#   loader function makes every other thread wait for that call, and if the callback takes
#   another lock it may deadlock. Hold locks for bookkeeping only (the graded set's loading
#   cache is exactly this problem).
# - **`qsize()` and `empty()` are already out of date when they return.** `while not
#   q.empty(): q.get()` races with other consumers (and blocks forever when one of them takes
#   the last item). Use `get()` with sentinels, or `get(timeout=...)`.
# - **Check-then-act.** `if key not in cache: cache[key] = load(key)` is two steps; so is
#   `if account.balance >= amount: account.balance -= amount`. The check and the act belong
#   under the same lock.
# - **Daemon threads** are killed wherever they are when Python exits, mid-write included.
#   **Non-daemon threads** that never end keep the process alive at exit: stop them with a
#   sentinel or an `Event`, then `join()` them.
# - **`RLock` is not a deadlock cure.** It only lets the *same* thread re-enter the *same* lock.
# - **Within one process only.** `queue.Queue` and `threading` locks connect threads of one
#   process. Between processes use `multiprocessing` (lesson 01); between machines, the course
#   notes' advice to use message queues is lesson 17 (event-driven
#   architecture: Celery, Redis streams, NATS).
# - **Free-threaded Python.** On a `python3.13t` build without the GIL, every race in this
#   lesson happens more often, and the fixes are the same locks.

# %% [markdown]
# ## Summary
#
# - The GIL keeps the interpreter's own structures safe, not your invariants: a
#   read-modify-write needs a `Lock`, taken with `with` so that errors release it. An
#   uncontended lock costs a few hundred nanoseconds.
# - An `RLock` lets the thread that holds it acquire it again; use it only where re-entry is by
#   design.
# - `Condition` sleeps until a predicate holds; `Semaphore`/`BoundedSemaphore` cap how many
#   threads are inside; `Event` signals (a stop flag); `Barrier` starts threads together.
# - `queue.Queue(maxsize)` gives back-pressure; one sentinel `object()` per worker and `join()`
#   shut a pipeline down cleanly; `task_done`/`join` wait for work, not for threads.
#   `threading.local` gives each thread its own object.
# - Single built-in operations happen to be atomic in CPython with the GIL; compound ones are
#   not, and relying on either is fragile across versions, builds and refactorings.
# - A lock-ordering deadlock is found with a timeout and `faulthandler.dump_traceback`, and
#   prevented by taking locks in one global order.
# - Contention, not the lock itself, is the cost: shorten critical sections, then stripe locks.
#
# **Graded exercises:**
# [exercises/ps09_thread_safety.ipynb](exercises/ps09_thread_safety.ipynb): a loading cache
# that loads each key once without blocking other keys, a producer-consumer pipeline that
# shuts down cleanly (errors included), and a `transfer` between locked accounts that never
# deadlocks.
