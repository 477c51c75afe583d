# %% [markdown]
# # 03 · Generators and async: lazy pipelines and the event loop
#
# A backend spends most of its life waiting: for the disk, for the database, for the next
# request. Python's answer rests on one idea, a function that can **pause and resume**.
# Generators pause at `yield`, so a program can work through more data than it could ever hold
# at once, one item at a time. Coroutines pause at `await`, so one thread can keep hundreds of
# network waits in flight. This lesson measures on your machine what each buys you, and what it
# does not. It comes in two parts: **Part A** (sections 1-2) is about generators, **Part B**
# (sections 3-9) about coroutines and asyncio; take a break between them.
#
# **Learning objectives.** By the end you can:
# - **build** generator pipelines and **measure** their peak memory against lists with
#   `tracemalloc`;
# - **drive** generators with `yield from`, `send` and `close`;
# - **run** many waits at once with `asyncio.gather`, **cap** them with a semaphore, and
#   **time out** or **cancel** them cleanly;
# - **find** a blocking call that stalls the event loop (with asyncio's debug mode) and **move**
#   it to a thread with `asyncio.to_thread`;
# - **bound** a producer with a full `asyncio.Queue`, take results **as they complete**, and
#   **shield** work that must finish;
# - **talk** to a real socket server with asyncio streams and **stream** results with async
#   generators.
#
# **Prerequisites:** functions, iterators and `for` loops. [01 · The GIL](01_gil.ipynb) explains
# why threads help with waiting but not with computing; it helps in section 6.
#
# Cells that start with `await` run in the notebook's own event loop: Jupyter already runs one,
# so a cell can `await` at the top level.

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import asyncio
import inspect
import itertools
import time
from contextlib import aclosing
from functools import partial

from advpy.lessons import timing
from advpy.lessons.aio import debugging, demos, pipelines, queues
from advpy.lessons.aio.pipeline_plots import plot_pipeline_memory
from advpy.lessons.aio.plots import (
    plot_heartbeat,
    plot_queue_lengths,
    plot_semaphore_limits,
    plot_sequential_vs_gather,
)
from advpy.lessons.context import machine_summary, pick

print(machine_summary())

# %% [markdown]
# # Part A · Generators
#
# Section 1: functions that pause at `yield`, pipelines that never hold all their data, and
# what laziness costs in time. Section 2 points to the lesson that compares comprehensions,
# generator expressions and `map`/`filter`.
#
# ## 1. Generators: lazy evaluation
#
# A function that contains `yield` is a *generator function*. Calling it runs **none** of its
# body: it returns a generator object. Each `next()` runs the body up to the next `yield`, hands
# out that value and pauses there, keeping its local variables until the next `next()`.


# %%
def countdown(n):
    print(f"  (starting from {n})")
    while n > 0:
        yield n
        n -= 1
    print("  (done)")


numbers = countdown(3)
print("countdown(3) returned", numbers)

# %%
print(next(numbers))
print(next(numbers))

# %%
print(list(numbers))  # drains what is left
print(list(numbers))  # a generator runs once: now it is exhausted

# %% [markdown]
# **What to notice.** "starting" was printed only at the first `next()`, not at the call. The
# generator produced values on demand and then was used up: iterate again and you get nothing.
#
# Because nothing is computed before it is asked for, a generator can describe an endless
# sequence. `itertools.islice` takes just the first few items:

# %%
squares = (n * n for n in itertools.count(1))  # a generator expression over 1, 2, 3, ...
print(list(itertools.islice(squares, 5)))

# %% [markdown]
# ### 1.1 Peak memory: a list pipeline vs a generator pipeline
#
# A small log-processing job: read log lines, parse each into a record, keep the server errors
# (status 500), add up their response sizes. `advpy.lessons.aio.pipelines` holds two versions
# that differ only in their brackets: one builds a full list at every stage, the other chains
# generators.

# %%
print(inspect.getsource(pipelines.list_pipeline))
print(inspect.getsource(pipelines.generator_pipeline))

# %% [markdown]
# `measure_pipelines` runs both on more and more lines. It records the **peak** memory
# allocated during the run (with `tracemalloc`, which traces every allocation Python makes) and,
# in separate untraced runs, the time taken.

# %%
sizes = [pick(5_000, 1_000), pick(10_000, 2_000), pick(20_000, 5_000), pick(100_000, 10_000)]
memory = pipelines.measure_pipelines(sizes)
for r in memory:
    print(
        f"{r.approach:>9}, {r.lines:>7,} lines: peak {r.peak_bytes / 1024:9.1f} KiB, "
        f"{r.seconds * 1000:6.1f} ms, total {r.result:,}"
    )

# %%
fig, ax = plot_pipeline_memory(memory)

# %%
largest = {r.approach: r for r in memory if r.lines == max(sizes)}
memory_ratio = largest["list"].peak_bytes / largest["generator"].peak_bytes
time_ratio = largest["generator"].seconds / largest["list"].seconds
print(f"At {max(sizes):,} lines the list pipeline's peak was {memory_ratio:,.0f}x the generators'.")
print(
    f"The generator pipeline took {time_ratio:.2f}x the list pipeline's time "
    f"({timing.describe_ratio(time_ratio)})."
)

# %% [markdown]
# **What to notice.**
# - The list pipeline's peak grows in step with the input (the plot is log-log: a straight line
#   rising with the input means proportional growth), because every line and every record is
#   held at once. The generator pipeline's peak stays flat at a few KiB: one line and one record
#   exist at a time, whatever the input size. Both compute the same total.
# - Laziness buys memory, not speed. Per item, a generator pays to pause and resume; a list pays
#   to allocate and grow. The last line above says which cost more here: compare its factor
#   with the memory ratio.

# %% [markdown]
# ### Try it
# Sort the errors by size before adding them up (`sorted(..., key=...)` around the error stage
# of a generator pipeline you write yourself), and measure its peak with
# `pipelines.peak_memory(lambda: your_pipeline(20_000))`. Predict first: does the peak stay
# flat as the input grows?
# (Answer: [tryit/03 § 1](../solutions/tryit/03_generators_async.md#1-sorted-in-a-pipeline).)

# %%
# Your experiment here.

# %% [markdown]
# ### 1.2 `yield from`, `send` and `close`
#
# **`yield from`** hands the iteration to another generator until it is exhausted, so a
# generator can delegate to others, recursively:


# %%
def flatten(items):
    """Yield the leaves of nested lists, depth first."""
    for item in items:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


print(list(flatten([1, [2, [3, 4]], [], 5])))


# %% [markdown]
# `yield from` is also an expression: its value is what the sub-generator `return`s.


# %%
def labelled(name, count):
    for i in range(count):
        yield f"{name}{i}"
    return count  # becomes the value of `yield from labelled(...)`


def both():
    total = yield from labelled("a", 2)
    total += yield from labelled("b", 3)
    yield f"total={total}"


print(list(both()))


# %% [markdown]
# **`send(value)`** resumes a paused generator *and* gives it a value: the paused `yield`
# expression evaluates to it. The generator becomes a little stateful machine that you feed.


# %%
def running_mean():
    """Receive numbers with send(); yield the mean so far after each one."""
    total, count, mean = 0.0, 0, None
    while True:
        value = yield mean
        total += value
        count += 1
        mean = total / count


averager = running_mean()
print(next(averager))  # "priming": run to the first yield, which hands out None
print(averager.send(10), averager.send(20), averager.send(60))


# %% [markdown]
# **`close()`** raises `GeneratorExit` inside the generator at the `yield` where it is paused,
# so its `finally` blocks run: the place to release a file, a socket, a lock.


# %%
def read_log(name):
    print(f"  open {name}")
    try:
        for i in itertools.count():
            yield f"{name} line {i}"
    finally:
        print(f"  close {name}")


lines = read_log("app.log")
print(next(lines), "|", next(lines))
lines.close()
print(next(lines, "nothing: a closed generator is exhausted"))

# %% [markdown]
# An abandoned generator is closed for you when it is garbage-collected. On CPython that is the
# moment its last reference goes:

# %%
abandoned = read_log("tmp.log")
next(abandoned)
del abandoned  # the last reference: CPython collects and closes the generator right here
print("after del")

# %% [markdown]
# **What to notice.** `send` and `close` turn a generator into a coroutine in the old sense: a
# function you can pause, resume with a value, or stop, with its state intact in between. This
# is the machinery `async def` is built on (see *Under the hood*). Other Python implementations
# (PyPy) collect later, at an unpredictable moment, and so does CPython when the generator is
# caught in a reference cycle: when cleanup matters, call `close()` (or use
# `contextlib.closing`).

# %% [markdown]
# ### Try it
# 1. Call `send(5)` on a fresh `running_mean()` without priming it first. What happens?
# 2. Write a generator that catches `GeneratorExit` and `yield`s another value. What does
#    `close()` do then?
#
# (Answer: [tryit/03 § 2](../solutions/tryit/03_generators_async.md#2-send-and-close).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. List comprehension vs generator expression vs `map`/`filter`
#
# Measured against each other, for time and for memory, in a lesson of their own:
# [08 · Comprehensions, generator expressions, map and filter](08_comprehensions.ipynb).

# %% [markdown]
# # Part B · Coroutines and asyncio
#
# Sections 3 to 9: one thread, many waits. Coroutines pause at `await`, and the event loop
# runs whichever is ready.
#
# ## 3. Coroutines and the event loop
#
# `async def` defines a *coroutine function*. Calling it runs nothing: it returns a coroutine
# object. `await` runs it; wherever it must wait (a timer, a socket), it pauses and hands control
# back to the **event loop**, which resumes whichever other coroutine is ready. One thread, and
# switches happen only at `await`.


# %%
async def greet(name, delay):
    await asyncio.sleep(delay)
    return f"hello, {name}"


coroutine = greet("ada", 0.01)
print(type(coroutine).__name__, "object: nothing has run yet")
print(await coroutine)

# %%
print(asyncio.get_running_loop())  # Jupyter's loop: why cells can use await at the top level


# %% [markdown]
# `asyncio.gather` runs several coroutines concurrently, as tasks. Each `await` is a point
# where the loop may switch to another task:


# %%
async def worker(name, steps, log):
    for step in range(steps):
        log.append(f"{name}{step}")
        await asyncio.sleep(0)  # a checkpoint: let the loop run someone else


log = []
await asyncio.gather(worker("a", 3, log), worker("b", 3, log))
print(log)

# %% [markdown]
# `asyncio.create_task` starts a coroutine in the background; `await` the task later for its
# result (and keep a reference to it meanwhile: see *Pitfalls*).

# %%
task = asyncio.create_task(greet("grace", 0.05))
print("task started; done yet?", task.done())
print(await task, "| done now?", task.done())

# %% [markdown]
# **What to notice.** The two workers took turns exactly at their `await`s. Remove the
# `await asyncio.sleep(0)` and `a` would run all its steps before `b` starts: nothing can
# interrupt a coroutine between two `await`s.
#
# ## 4. N waits: one after another vs `asyncio.gather`
#
# `measure_sleep_waits` times N waits awaited one by one in a loop, then the same N waits
# started together with `gather`. Each wait is `asyncio.sleep`, standing in for a network call
# (section 8 repeats this over real sockets).

# %%
delay = pick(50, 20) / 1000  # seconds per wait
counts = [n for n in (1, 2, 4, 8, 16, 32) if n <= pick(32, 8)]
waits = await demos.measure_sleep_waits(counts, delay)
fig, ax = plot_sequential_vs_gather(waits, wait_label="one asyncio.sleep")

# %%
by_mode = {(r.mode, r.waits): r.seconds for r in waits}
n = max(counts)
print(
    f"{n} waits of {delay * 1000:g} ms: one after another {by_mode['sequential', n] * 1000:.0f} ms,"
    f" gathered {by_mode['gather', n] * 1000:.0f} ms"
)

# %% [markdown]
# **What to notice.** One after another, the total grows as N × one wait (the dashed line).
# Gathered, it stays near one wait (the dotted line): the loop starts every timer, then sleeps
# until the next one is due, so the waits overlap. Overlap needs *waiting*. Coroutines that
# compute without awaiting cannot overlap, as this measurement shows:


# %%
async def crunch(size):
    return sum(i * i for i in range(size))  # never awaits: never lets another task run


size = pick(300_000, 50_000)
start = time.perf_counter()
for _ in range(4):
    await crunch(size)
one_by_one = time.perf_counter() - start
start = time.perf_counter()
await asyncio.gather(*(crunch(size) for _ in range(4)))
gathered = time.perf_counter() - start
print(f"4 CPU-bound coroutines: one by one {one_by_one * 1000:.0f} ms,", end=" ")
print(f"gathered {gathered * 1000:.0f} ms")
print(f"(overlapping like the waits would have taken about {one_by_one / 4 * 1000:.0f} ms)")

# %% [markdown]
# ### Try it
# Time `await asyncio.gather(*(asyncio.sleep(delay) for _ in range(n)))` for `n = 1_000` and
# `n = 20_000` (not the one-after-another version: that would take `n` × `delay`). Does the
# gathered time still stay near one wait? What does each extra task cost? (Answer:
# [tryit/03 § 4](../solutions/tryit/03_generators_async.md#4-thousands-of-waits).)

# %%
# Your experiment here.

# %% [markdown]
# ### Results as they finish: `asyncio.as_completed`
#
# `gather` hands back every result at the end, in the order you passed the coroutines.
# `as_completed` hands them back one at a time, *as each finishes*, so you can show or use the
# first answers while the slow ones are still on their way.


# %%
async def answer_after(name, seconds):
    await asyncio.sleep(seconds)
    return name


start = time.perf_counter()
jobs = [answer_after("slow", 0.06), answer_after("fast", 0.01), answer_after("medium", 0.03)]
for finished in asyncio.as_completed(jobs):
    name = await finished
    print(f"{name:6} after {(time.perf_counter() - start) * 1000:3.0f} ms")

# %% [markdown]
# **What to notice.** The results came in order of finishing (fast, medium, slow), not in the
# order given, each as soon as it was ready. Since you no longer know which coroutine an
# answer belongs to, return something that says so (here the name).


# %% [markdown]
# ## 5. Limiting concurrency with a semaphore
#
# Gathering ten thousand requests at once can exhaust your sockets or flatten the server you
# call. An `asyncio.Semaphore(limit)` admits `limit` holders at a time; the others wait at
# `async with` until a slot frees. `demos.ConcurrencyCounter` counts how many are inside at once.


# %%
async def polite_fetch(i, gate, counter):
    async with gate:  # waits here while `limit` others hold the semaphore
        with counter.track():
            await asyncio.sleep(0.01)
            return i * 10


gate = asyncio.Semaphore(3)
counter = demos.ConcurrencyCounter()
results = await asyncio.gather(*(polite_fetch(i, gate, counter) for i in range(10)))
print(results, "| most running at once:", counter.peak)

# %% [markdown]
# Now many jobs, for several limits: total time and the most jobs seen running at once.

# %%
jobs = pick(32, 16)
limits = [n for n in (1, 2, 4, 8, 16, 32) if n <= jobs]
limited = await demos.measure_semaphore_limits(jobs, limits, pick(50, 10) / 1000)
fig, ax = plot_semaphore_limits(limited)

# %%
for r in limited:
    print(f"limit {r.limit:>2}: {r.seconds * 1000:6.1f} ms, peak {r.peak}")
print("peak never above the limit:", all(r.peak <= r.limit for r in limited))

# %% [markdown]
# **What to notice.** The measured times follow the dashed line ceil(jobs / limit) × job time:
# the jobs go through in waves of `limit`. The peak equals the limit, never more: that is the
# guarantee a semaphore gives you, while `gather` alone would start every job at once. Also note
# that `gather` keeps results in the order the coroutines were given, not the order they finished.
#
# ### Try it
# Write the other classic pattern: `limit` worker tasks that pull jobs from a shared iterator
# (or an `asyncio.Queue`) until it is empty. Check with a `ConcurrencyCounter` that its peak is
# the limit too. How do you keep the results in order? (Answer:
# [tryit/03 § 5](../solutions/tryit/03_generators_async.md#5-a-pool-of-workers).)

# %%
# Your experiment here.

# %% [markdown]
# ### Back-pressure: a bounded `asyncio.Queue`
#
# When one task produces work faster than another can handle it, something must give. An
# `asyncio.Queue(maxsize)` makes the producer wait: `await queue.put(item)` pauses while the
# queue is full, so the producer runs at the consumer's pace and at most `maxsize` items wait.
# That is **back-pressure**. Without a bound, `put` never waits, and everything not yet
# handled piles up in memory. `queues.measure_queue` runs one fast producer and one slow
# consumer and records the queue's length after every `put` and every `get`.

# %%
items, handle = pick(100, 40), pick(5, 2) / 1000
queue_runs = [
    await queues.measure_queue(0, items, handle),
    await queues.measure_queue(5, items, handle),
]
for run in queue_runs:
    bound = f"maxsize={run.maxsize}" if run.maxsize else "unbounded"
    print(
        f"{bound:10}: at most {run.longest:3} items waiting; producer done at "
        f"{run.producer_done * 1000:4.0f} ms, consumer at {run.consumer_done * 1000:4.0f} ms"
    )

# %%
fig, ax = plot_queue_lengths(queue_runs)

# %% [markdown]
# **What to notice.** Unbounded, the producer finished at once and all the items waited in the
# queue. Bounded, the length stayed at `maxsize` (one less just after each `get`) while the
# producer, paused in `put`, finished only near the end, at the consumer's pace. Both took the
# same total time: the bound costs no throughput, it only stops the pile-up. In a server, that
# pile-up is requests accepted faster than they can be served; a bounded queue turns it into
# waiting at the door (or, with `put_nowait` and `QueueFull`, a quick "try again later").

# %% [markdown]
# ## 6. A blocking call stalls every task
#
# The loop can only switch tasks at an `await`. A call that blocks the thread (`time.sleep`,
# `requests.get`, a database driver that is not async, a long computation) freezes *every*
# task until it returns. To see it, `demos.measure_heartbeat` runs a heartbeat task that wants to
# wake every 20 ms and records the gap between beats, while another task makes one blocking
# call of 300 ms (`time.sleep`, standing in for a blocking library call).

# %%
stalled = await demos.measure_heartbeat("blocking", block_seconds=0.3, interval=0.02)
print(f"longest gap between beats: {stalled.max_gap * 1000:.0f} ms", end=", ")
print(f"late beats: {stalled.late_beats}")

# %% [markdown]
# The fix: run the blocking call in a worker thread with `await asyncio.to_thread(func, *args)`.
# The coroutine awaits the thread's result, so the loop is free meanwhile.

# %%
unblocked = await demos.measure_heartbeat("to_thread", block_seconds=0.3, interval=0.02)
print(f"longest gap between beats: {unblocked.max_gap * 1000:.0f} ms", end=", ")
print(f"late beats: {unblocked.late_beats}")
fig, ax = plot_heartbeat([stalled, unblocked])

# %% [markdown]
# **What to notice.** With the call made directly, no beat came for the whole call: the red
# plateau is as wide and as high as the call is long. Through `asyncio.to_thread` the beats kept
# coming about every 20 ms. Threads suit blocking *waits* because the GIL is released while a
# thread waits ([01 · The GIL](01_gil.ipynb) measures that); for long computations use a process
# pool (`loop.run_in_executor` with a `ProcessPoolExecutor`).
#
# `to_thread` also lets several blocking calls overlap, each in its own thread:


# %%
def blocking_lookup(key):
    time.sleep(0.05)  # a blocking call, e.g. a synchronous HTTP or database client
    return key.upper()


start = time.perf_counter()
found = await asyncio.gather(*(asyncio.to_thread(blocking_lookup, k) for k in "abcd"))
print(found, f"4 blocking calls of 50 ms in {(time.perf_counter() - start) * 1000:.0f} ms")

# %% [markdown]
# ### Try it
# Pass a CPU-bound function as the blocking call: `demos.measure_heartbeat("to_thread",
# blocking_call=spin)` with `spin` a loop that computes for 0.3 s. Do the beats still come on
# time? Why?
# (Answer: [tryit/03 § 6](../solutions/tryit/03_generators_async.md#6-cpu-work-in-to_thread).)

# %%
# Your experiment here.

# %% [markdown]
# ### Finding the blocking call: asyncio's debug mode
#
# In a real service you do not know which call blocks. asyncio's **debug mode** times every
# step the loop runs, and logs a warning on the `asyncio` logger for each step longer than
# `loop.slow_callback_duration` (0.1 s by default), naming the task and its coroutine. Turn it
# on with `PYTHONASYNCIODEBUG=1`, `python -X dev`, `asyncio.run(main(), debug=True)`, or
# `loop.set_debug(True)`. `debugging.capture_slow_callbacks` does the last for this notebook's
# loop, collects those warnings while a coroutine runs, and puts everything back. Here, two
# requests are served at once, and one handler has a hidden `time.sleep`:

# %%
print(inspect.getsource(debugging.blocking_handler))

# %%
warnings_logged = await debugging.capture_slow_callbacks(debugging.serve_both, threshold=0.05)
for message in warnings_logged:
    print(message)

# %% [markdown]
# **What to notice.** One warning, about the task `blocking-request` running
# `blocking_handler`: that step kept the loop for the whole `time.sleep`. The polite handler,
# which waited just as long with `await asyncio.sleep`, is not mentioned. Debug mode also
# warns about coroutines that were never awaited and about loop methods called from the wrong
# thread. It slows the loop down, so use it while hunting, not in production.


# %% [markdown]
# ## 7. Timeouts and cancellation
#
# `asyncio.wait_for(aw, timeout)`, and since Python 3.11 `async with asyncio.timeout(seconds)`,
# stop waiting when time is up. They **cancel** the work: `asyncio.CancelledError` is raised
# inside it at the `await` where it is paused, its `finally` blocks run, and then you get a
# `TimeoutError`.


# %%
async def slow_query(log):
    log.append("query started")
    try:
        await asyncio.sleep(10)
        log.append("query finished")
    except asyncio.CancelledError:
        log.append("query cancelled")
        raise  # let the cancellation go on: never swallow it
    finally:
        log.append("connection released")


log = []
start = time.perf_counter()
try:
    await asyncio.wait_for(slow_query(log), timeout=0.1)
except TimeoutError:
    log.append(f"TimeoutError after {(time.perf_counter() - start) * 1000:.0f} ms")
print(log)

# %%
log = []
try:
    async with asyncio.timeout(0.1):
        await slow_query(log)
except TimeoutError:
    log.append("TimeoutError")
print(log)

# %% [markdown]
# A task can also be cancelled directly, for instance when the user who asked for it has gone:

# %%
log = []
task = asyncio.create_task(slow_query(log))
await asyncio.sleep(0.01)  # let it start
task.cancel()
try:
    await task
except asyncio.CancelledError:
    print("cancelled:", task.cancelled(), log)

# %%
print("CancelledError is an Exception?", issubclass(asyncio.CancelledError, Exception))

# %% [markdown]
# **What to notice.** The 10-second query stopped after about 0.1 s, and its cleanup ran before
# the caller saw the `TimeoutError`. Cancellation is an exception delivered at an `await`:
# re-raise it after cleaning up. `CancelledError` is not an `Exception` (since Python 3.8), so
# `except Exception:` lets it through, but a bare `except:` or `except BaseException:` that does
# not re-raise breaks timeouts and shutdown.

# %% [markdown]
# ### Work that must finish: `asyncio.shield`
#
# Sometimes the caller may give up, but the work must not be cut in half: a payment being
# recorded, a file being renamed. `asyncio.shield(task)` protects the task from the caller's
# cancellation: a timeout cancels the *waiting*, and the task runs on.


# %%
async def save_order(log):
    await asyncio.sleep(0.05)
    log.append("order saved")


for protect in (False, True):
    log = []
    saving = asyncio.create_task(save_order(log))  # keep a reference: see Pitfalls
    try:
        await asyncio.wait_for(asyncio.shield(saving) if protect else saving, timeout=0.01)
    except TimeoutError:
        log.append("caller gave up")
    await asyncio.sleep(0.08)  # time for the save to finish, if it is still running
    print(f"shield={protect}: {log}, task cancelled: {saving.cancelled()}")

# %% [markdown]
# **What to notice.** Both callers gave up after 10 ms. Without `shield`, the timeout cancelled
# the save itself. With it, the save finished on its own afterwards. `shield` protects only
# against cancellation coming through that `await`: if the whole program shuts down, or someone
# cancels `saving` directly, it stops anyway. Keep a reference to the shielded task, or it may
# be garbage-collected before it finishes.

# %% [markdown]
# ## 8. Real sockets: asyncio streams and an echo server
#
# Everything so far waited on timers. Now real network I/O: an echo server on the loopback
# interface (`127.0.0.1`), on port 0 so that the operating system picks a free port.
# `asyncio.start_server` calls a handler coroutine for each connection with a `StreamReader` and
# a `StreamWriter`; `asyncio.open_connection` gives a client the same pair.

# %%
server = await demos.start_echo_server("127.0.0.1", 0)
host, port = demos.server_address(server)
print(f"echo server listening on {host}:{port}")

# %%
reader, writer = await asyncio.open_connection(host, port)
for word in ["hello", "event", "loop"]:
    writer.write(word.encode() + b"\n")
    await writer.drain()  # flow control: wait while the write buffer is above its high-water mark
    reply = await reader.readline()
    print(f"sent {word!r}, got {reply!r}")
writer.close()
await writer.wait_closed()

# %% [markdown]
# A slow backend: a second server that waits `delay` before each reply. N clients, each on its
# own connection, one after another and then together:

# %%
slow_server = await demos.start_echo_server(reply_delay=delay)
round_trip = partial(demos.echo_round_trip, *demos.server_address(slow_server), b"ping")
trips = await demos.measure_sequential_vs_gather(round_trip, counts, delay)
fig, ax = plot_sequential_vs_gather(
    trips,
    title="Echo round trips over loopback, the server replying after a delay",
    wait_label="reply delay",
    xlabel="N (clients, one connection each)",
)

# %%
for s in (server, slow_server):
    s.close()
    await s.wait_closed()
try:
    await asyncio.open_connection(host, port)
except OSError as error:
    print("after close:", type(error).__name__, error)

# %% [markdown]
# **What to notice.** Real sockets behave like the sleeps of section 4: the connections wait
# together, so N gathered round trips take about one reply delay plus a little per connection.
# After `close()` and `wait_closed()` the port refuses connections: always close the servers
# you start.
#
# ## 9. Async generators
#
# An `async def` that contains `yield` is an *async generator*: a stream whose items arrive over
# time. Consume it with `async for` (or an async comprehension). Here, replies stream back from
# a server that `running_echo_server` starts and closes around the block:


# %%
async def replies(host, port, messages):
    """Send each message over one connection; yield each reply as it arrives."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for message in messages:
            writer.write(message.encode() + b"\n")
            await writer.drain()
            yield (await reader.readline()).decode().rstrip("\n")
    finally:
        writer.close()
        await writer.wait_closed()


async with demos.running_echo_server() as (host, port):
    async for answer in replies(host, port, ["one", "two"]):
        print("got", answer)
    print([answer.upper() async for answer in replies(host, port, ["three", "four"])])


# %% [markdown]
# Stopping early: an abandoned async generator is cleaned up later, whenever the event loop
# gets to it. `contextlib.aclosing` closes it (running its `finally`) as soon as you leave:


# %%
async def ticks(interval):
    """Yield 1, 2, 3, ... every `interval` seconds, forever."""
    count = 0
    try:
        while True:
            await asyncio.sleep(interval)
            count += 1
            yield count
    finally:
        print(f"  ticks closed after {count}")


async with aclosing(ticks(0.01)) as stream:
    async for tick in stream:
        if tick == 3:
            break
print("left the loop")

# %% [markdown]
# ### Try it
# Write `async def take(agen, n)` that returns a list of the first `n` items of an async
# generator and always closes it, even when it has fewer than `n` items. Check it on
# `ticks(0.01)`.
# (Answer: [tryit/03 § 7](../solutions/tryit/03_generators_async.md#7-taking-n-items).)

# %%
# Your experiment here.

# %% [markdown]
# ## Pitfalls and under the hood
#
# **`asyncio.run()` inside Jupyter.** `asyncio.run` starts a new event loop, and there is
# already one running in the kernel:

# %%
coroutine = greet("again", 0)
try:
    asyncio.run(coroutine)
except RuntimeError as error:
    print("RuntimeError:", error)
finally:
    coroutine.close()  # it never ran; closing it avoids a "never awaited" warning

# %% [markdown]
# In a notebook, `await` at the top level. In a script, call `asyncio.run(main())` once, at the
# entry point.
#
# **Forgetting `await`.** `greet("x", 0)` alone only creates a coroutine object; Python warns
# "coroutine ... was never awaited" when it is thrown away. A task made with `create_task` but
# never stored can even be garbage-collected mid-flight, as the asyncio documentation warns: the
# loop keeps only a weak reference to it. Keep tasks in a variable or a set, or use
# `asyncio.TaskGroup`.
#
# **A generator checks its arguments late.** The body, checks included, runs at the first
# `next()`, not at the call:


# %%
def first_n(items, n):
    if n < 0:
        raise ValueError("n must not be negative")
    yield from itertools.islice(items, n)


lazy = first_n([1, 2, 3], -1)
print("no error at the call:", lazy)
try:
    next(lazy)
except ValueError as error:
    print("the error came at next():", error)


# %% [markdown]
# To fail at the call, check in a plain function that then returns the generator (a helper
# generator function, or a generator expression).
#
# **`gather` vs `TaskGroup` when something fails.** `gather` re-raises the first exception as
# it is and lets the other coroutines run on:


# %%
async def fail_soon():
    await asyncio.sleep(0.01)
    raise ValueError("boom")


async def short_job(log):
    await asyncio.sleep(0.05)
    log.append("short job finished")


log = []
try:
    await asyncio.gather(short_job(log), fail_soon())
except ValueError as error:
    print("gather raised", repr(error), "| log:", log)
await asyncio.sleep(0.1)
print("a moment later:", log)

# %% [markdown]
# `asyncio.TaskGroup` (Python 3.11+) cancels the others instead, waits for their cleanup, and
# raises an `ExceptionGroup`:

# %%
log = []
try:
    async with asyncio.TaskGroup() as group:
        group.create_task(slow_query(log))
        group.create_task(fail_soon())
except* ValueError as errors:
    print("TaskGroup raised", repr(errors))
print(log)

# %% [markdown]
# **Under the hood: a coroutine is a generator in disguise.** The event loop drives coroutines
# with the generator methods of section 1.2: `send(None)` runs one to its next pause, and the
# return value arrives on `StopIteration`. `asyncio.sleep(0)` pauses exactly once:

# %%
coroutine = greet("under the hood", 0)
print("first send pauses at the sleep and yields:", coroutine.send(None))
try:
    coroutine.send(None)
except StopIteration as finished:
    print("second send finishes it; StopIteration carries:", repr(finished.value))

# %% [markdown]
# ## Summary
#
# - A generator runs lazily, one item per `next()`: a pipeline of generators keeps its peak
#   memory flat while a pipeline of lists grows with the input. Laziness saves memory, not time.
# - `yield from` delegates to a sub-generator and receives its return value; `send` resumes a
#   generator with a value; `close` stops it and runs its `finally`.
# - Comprehensions, generator expressions and `map`/`filter` compared:
#   [08 · Comprehensions](08_comprehensions.ipynb).
# - Coroutines switch only at `await`. `gather` overlaps waits (N waits take about one), a
#   `Semaphore` caps how many run at once, and `wait_for`/`asyncio.timeout`/`cancel` stop work
#   whose `finally` blocks then run.
# - One blocking call stalls every task; debug mode (`loop.set_debug(True)`,
#   `slow_callback_duration`) names it, and `asyncio.to_thread` moves it off the loop.
# - A bounded `asyncio.Queue` holds a fast producer to the consumer's pace (back-pressure);
#   `as_completed` hands out results as they finish; `shield` keeps a timeout from cancelling
#   work that must finish.
# - asyncio streams talk to real sockets; async generators stream results; close servers and
#   generators you start (`wait_closed`, `aclosing`).
#
# **Graded exercises:**
# [exercises/ps03_generators_async.ipynb](exercises/ps03_generators_async.ipynb): a lazy
# `chunked` that works on endless iterators, an order-keeping `bounded_gather` that never runs
# more than `limit` coroutines at once, and a timeout wrapper that cancels cleanly.
