# %% [markdown]
# # 01 · The GIL: threads, processes, and what really runs in parallel
#
# A web service that waits on ten slow APIs and a report that crunches ten million rows both
# look like jobs for "more threads". In CPython only one of them gets faster that way, and the
# reason is the **global interpreter lock** (GIL). This lesson shows what the GIL is, then
# measures on your machine which kinds of work speed up with threads, which need processes,
# and what a process pool costs, so that you can choose from evidence instead of folklore.
#
# **Learning objectives.** By the end you can:
# - explain what the GIL is, what it protects, what it does *not* protect, and where a
#   running thread can be made to hand it over;
# - predict whether threads or processes speed up a task (pure Python, waiting on I/O, NumPy)
#   and check the prediction by measuring it;
# - read a speed-up plot against the ideal line and the number of usable cores;
# - keep process-pool work picklable, weigh the cost of shipping its arguments, and share an
#   array through `multiprocessing.shared_memory` instead;
# - tell whether your interpreter runs with the GIL at all (free-threaded builds), and what
#   sub-interpreters offer from Python 3.14.
#
# **Prerequisites.** Functions, modules and `import`; what a thread and a process are, roughly.
# No earlier lesson is needed. Every number below is measured when you run the notebook:
# expect different numbers from a classmate's, and read the plots for their *shape*.

# %% [markdown]
# ## Setup
# Run this cell first: it imports what the lesson uses and prints what the measurements will
# run on. `CORES` is the number of cores this process may use: `os.cpu_count()` counts the
# machine's cores, but a container or a JupyterHub server often gets only a share of them
# (a CPU affinity mask, or a control-group quota), and pools should be sized by that share.
# Fast mode (`ADVPY_FAST=1`) shrinks every job so the whole notebook runs in well under a
# minute.

# %%
# %matplotlib inline
import dis
import functools
import inspect
import os
import pickle
import sys
import sysconfig
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from advpy.cores import usable_cores
from advpy.lessons import context, timing
from advpy.lessons.context import pick
from advpy.lessons.gil import cpu_work, measure, plots, sharing, switching, workloads
from advpy.lessons.gil.slow_server import SlowServer
from advpy.lessons.gil.widgets import gil_panel

CORES = usable_cores()
print(context.machine_summary())
print(f"os.cpu_count() says {os.cpu_count()}; this process may use {CORES}.")
print(timing.load_note())

# %% [markdown]
# ## 1. What the GIL is and what it protects
#
# CPython runs your code one bytecode instruction at a time, and almost every instruction
# touches **reference counts**: each object counts how many references point at it and is
# freed when the count drops to zero. Those counts change constantly, from every thread.
#
# The GIL is one lock that the threads of a Python process share. A thread must hold it to run
# Python bytecode or to touch Python objects, so the interpreter's own bookkeeping (reference
# counts, the insides of lists and dicts, the memory allocator) never sees two threads at
# once. C code that does not need Python objects, such as waiting for a socket, reading a
# file or a NumPy loop over numbers, can let go of the GIL while it works. (Since Python 3.12
# a *sub-interpreter* can be created with a GIL of its own, and then the lock is per
# interpreter: section 9. The main interpreter and sub-interpreters made the old way still
# share one.)

# %%
numbers = [1, 2, 3]
print("references to the list:", sys.getrefcount(numbers))
alias = numbers
print("after one more name:   ", sys.getrefcount(numbers))
del alias

# %% [markdown]
# What to notice: binding one more name changed the count (`getrefcount` itself holds one
# more reference while it looks). If two threads updated such a count at the same moment, one
# update could be lost and a live object freed. The GIL rules that out, and it also makes one
# call such as `list.append` atomic: four threads appending to the same list lose nothing.

# %%
shared = []


def append_many(count):
    for i in range(count):
        shared.append(i)


# %%
threads = [threading.Thread(target=append_many, args=(50_000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"{len(shared):,} items, expected {4 * 50_000:,}")

# %% [markdown]
# What the GIL does **not** protect is *your* invariants. `counter += 1` is several
# instructions: load the value, add one, store it back.

# %%
dis.dis("counter += 1")

# %% [markdown]
# ### Where a thread can be made to let go
#
# A thread that wants the GIL cannot take it from the running thread in the middle of an
# instruction. It waits, then *asks* the running thread to drop it, and the running thread
# looks at that request only at its **check points**. Since CPython 3.10 these are: calling or
# entering a function, and jumping back to the top of a loop (up to 3.9 the check came before
# almost every instruction). So a read-modify-write can be cut in two only where a check point
# sits between the read and the write. Two ways of adding 1, from
# `advpy.lessons.gil.switching`:

# %%
print(inspect.getsource(switching.add_one))
print(inspect.getsource(switching.add_one_via_call))

# %% [markdown]
# In the second, the old value is read, then `one()` is called (a check point), then the sum is
# written back. `measure_races` runs four threads of each on one shared counter, with the
# switch interval set to 1 µs so that the threads ask for the GIL all the time.

# %%
races = switching.measure_races(times=pick(1_000_000, 200_000), threads=4, interval=1e-6)
for r in races:
    print(f"{r.code:24}: {r.lost:>9,} of {r.expected:,} updates lost")
print(f"(Python {sys.version.split()[0]}, GIL {'on' if context.machine().gil_enabled else 'off'})")

# %% [markdown]
# What to notice: with a call between the read and the write, a large share of the updates is
# lost: a thread read the value, was switched out at the call, and later wrote back its stale
# value plus one over the others' work. Without the call, a GIL build of CPython 3.10 or later
# loses none, even at a 1 µs interval: the loop's only check point is its jump back, after the
# write.
#
# **"It didn't lose updates on my machine" proves nothing.** That zero comes from where one
# interpreter happens to place its check points, not from a promise of the language:
# - on CPython 3.9 the same `counter.value += 1` loop lost 0.5 to 2.5 million of its 1.2 and
#   4 million updates (measured on the course's 2-core test machine with CPython 3.9.18;
#   3.10 to 3.13 lost none there);
# - a free-threaded build (section 8) has no GIL to take turns on: threads really run at the
#   same time, and both versions can lose updates;
# - anything that adds a call (a property, an `__iadd__` written in Python, a logging line, a
#   debugger or a profiler) brings the check point back.
#
# Protect shared updates with a `threading.Lock` (lesson 09 is about exactly that), whatever a
# quick test shows.

# %% [markdown]
# ## 2. The switch interval: how threads take turns
#
# A thread that wants the GIL first waits for the **switch interval**. If the GIL has not come
# free by then, it sets a drop request; the running thread drops the GIL at its next check
# point, and the operating system then has to wake the waiting thread. So two busy threads
# running Python loops take turns at most about once per interval, and never run Python code
# at the same moment. The interval is not a promise of how soon a waiting thread runs: that
# depends on when the running thread reaches a check point (the end of this section).

# %%
print(f"switch interval: {sys.getswitchinterval() * 1000:.1f} ms")

# %% [markdown]
# `measure.measure_handoffs` runs two threads that spin in a loop for a fixed time and counts
# how often the thread that runs changes, under several switch intervals (the interval is put
# back afterwards).

# %%
intervals = [0.0005, 0.001, 0.005, 0.02, 0.05] if not context.fast_mode() else [0.001, 0.01]
handoffs = measure.measure_handoffs(intervals, seconds=pick(0.5, 0.1))
for r in handoffs:
    print(
        f"interval {r.interval * 1000:5.1f} ms: {r.handoffs_per_second:7.0f} handoffs/s "
        f"(1/interval = {1 / r.interval:5.0f}), {r.iterations:,} loop steps in total"
    )

# %%
fig, ax = plots.plot_handoffs(handoffs)

# %% [markdown]
# What to look for: for long intervals the measured rate sits close to the dashed line, one
# handoff per interval. For short intervals it falls below the line: after the GIL is
# dropped, the operating system still has to wake the waiting thread, and on a busy machine
# that takes a while. So the interval caps how often threads swap; it does not make them swap
# that often. The total loop steps stay in the same range whatever the interval: the interval
# only decides *who* runs, never *how many* run at once.

# %% [markdown]
# ### Try it
# Set the interval very small (say `0.00001`, 10 µs) and compare the total loop steps with the
# default 5 ms. What does frequent switching cost? (Answer:
# [tryit/01_gil.md § 1](../solutions/tryit/01_gil.md#1-short-switch-interval).)

# %%
# Your experiment: change the intervals and run the cell again.
for r in measure.measure_handoffs([0.00001, 0.005], seconds=pick(0.3, 0.05)):
    print(f"{r.interval * 1000:6.2f} ms: {r.iterations:,} loop steps, {r.handoffs:,} handoffs")

# %% [markdown]
# ### A long C call holds the GIL for as long as it runs
#
# A check point is a place in the *bytecode*. `sum(range(n))` is one call into one C function,
# and that function adds up all `n` numbers without coming back to the eval loop and without
# releasing the GIL. `measure_stalls` runs a ticker thread that sleeps 1 ms and notes the time,
# again and again, first while this thread makes that one C call, then while it runs a Python
# loop for just as long.

# %%
stalls = switching.measure_stalls(pick(60_000_000, 10_000_000))
for r in stalls:
    print(
        f"{r.work:36}: ran {r.work_seconds * 1000:4.0f} ms, "
        f"longest gap between ticks {r.max_gap * 1000:6.1f} ms"
    )

# %%
fig, ax = plots.plot_stall(stalls)

# %% [markdown]
# What to notice: next to the Python loop the ticker waited a few milliseconds at most, about
# the switch interval, because the loop passes a check point at every turn. Next to the C call
# it waited for the *whole call*: the drop request was set after the switch interval, but
# nothing looked at it until `sum` returned. The same holds for any long call into C that keeps
# the GIL: a big regular-expression match, sorting a huge list, `json.loads` of a large
# document, NumPy on `dtype=object`. In a server, one such call freezes every other thread of
# the process, the one answering health checks included. C code that releases the GIL
# (sockets, files, `time.sleep`, most NumPy loops over numbers) does not do this.

# %% [markdown]
# ## 3. CPU-bound pure Python: threads against processes
#
# The job: `workloads.pure_python_work(amount)`, a plain Python loop. With `w` workers the
# same total amount is split into `w` equal chunks. The baseline is the whole job as one
# plain call. Speed-up = baseline time / time with `w` workers; the ideal is `w`.

# %%
print(inspect.getsource(workloads.pure_python_work))

# %% [markdown]
# `measure_speedup` starts one pool at a time: it starts the workers and waits until each has
# answered (that start-up is timed apart, in the last column), times the job `repeats` times
# and keeps the fastest run, then shuts the pool down before the next one. Workers go from 1
# to twice the number of usable cores, but never past 8: that is enough to see the curve
# flatten, and a 64-core machine need not start hundreds of processes.
#
# The job is sized so that even with the most workers each share is hundreds of thousands of
# loop steps (tens of milliseconds), far longer than handing it to a worker: otherwise the
# plot would measure the pool's overhead instead of the cores.

# %%
WORKERS = measure.worker_counts(CORES)
cpu_total = pick(10_000_000, 2_000_000)
load_before = timing.load_average()
cpu_records = measure.measure_speedup(
    workloads.pure_python_work,
    total=cpu_total,
    workers=WORKERS,
    repeats=pick(3, 2),
    name="pure Python loop",
)
print(f"workers measured: {WORKERS}")
print(measure.format_speedups(cpu_records))

# %% [markdown]
# When a run cannot show what processes buy (no idle core, or too little gained at 2 workers),
# `speedup_caveat` says so, and the plot carries the same warning.

# %%
caveat = measure.speedup_caveat(cpu_records, cores=CORES, load=load_before)
fig, ax = plots.plot_speedup(cpu_records, note=caveat)

# %%
for kind in ("threads", "processes"):
    best = measure.best_speedup(cpu_records, kind)
    print(f"best with {kind:9}: x{best.speedup:.2f} at {best.workers} workers")
startups = [r.startup_seconds for r in cpu_records if r.executor == "processes"]
print(f"starting a process pool took {min(startups) * 1000:.0f}-{max(startups) * 1000:.0f} ms")
print(caveat or "A second core was free: the processes line shows what it buys.")
print(timing.load_note())

# %% [markdown]
# What to look for: the **threads** line stays near 1 however many threads there are: they
# take turns on the GIL, so the job takes as long as on one thread (often a little longer,
# because of the switching). The **processes** line climbs while there are idle cores (each
# process has its own interpreter and its own GIL) and flattens past the number of cores,
# where the dotted line is: more processes than cores only share the same cores. The gap to
# the ideal line is the cost of sending work to the processes and of whatever else is running
# on the machine. Starting the pool is not in these times: it is paid once per pool (the
# start-up column), which is why a program should start one pool and keep it.

# %% [markdown]
# ### Try it
# The time above leaves out starting the pool. Time `with ProcessPoolExecutor(CORES) as pool:
# list(pool.map(workloads.pure_python_work, workloads.split_evenly(total, CORES)))` *including*
# the `with` line, for a small `total` and a large one. When does starting processes cost
# more than it saves? (Answer:
# [tryit/01_gil.md § 2](../solutions/tryit/01_gil.md#2-pool-start-up).)

# %%
# Your experiment (the pool here starts inside the timed block):
total = pick(300_000, 30_000)
start = time.perf_counter()
with ProcessPoolExecutor(CORES, mp_context=measure.pool_context()) as pool:
    list(pool.map(workloads.pure_python_work, workloads.split_evenly(total, CORES)))
print(f"with start-up: {(time.perf_counter() - start) * 1000:.0f} ms")

# %% [markdown]
# ## 4. I/O-bound work: threads do help
#
# Waiting is different. This cell starts a small HTTP server on `127.0.0.1` (your own
# machine, no network needed) whose every answer takes `delay` seconds: its handler sleeps,
# standing in for a slow remote service. The client side is real: real sockets, real HTTP
# requests with `urllib`. While a thread waits for an answer, it has released the GIL.

# %%
server = SlowServer(delay=pick(0.05, 0.02)).start()
start = time.perf_counter()
size = workloads.fetch(server.url)
print(f"{server.url} answered {size} bytes in {(time.perf_counter() - start) * 1000:.0f} ms")

# %% [markdown]
# The job: a fixed number of requests, shared out between `w` threads (each thread sends its
# share one after the other). Here the worker count goes well past the number of cores.

# %%
io_records = measure.measure_speedup(
    functools.partial(workloads.fetch_many, server.url),
    total=pick(16, 8),
    workers=[1, 2, 4, 8, 16] if not context.fast_mode() else [1, 2, 4, 8],
    executors=["threads"],
    repeats=pick(3, 1),
    name="HTTP requests to a slow server",
)
print(measure.format_speedups(io_records))

# %%
fig, ax = plots.plot_speedup(io_records)

# %%
server.stop()

# %% [markdown]
# What to look for: the threads line follows the ideal line far beyond the number of cores,
# because a waiting thread needs no core and no GIL. It bends away once each thread's share
# is a single request, or when the per-request overhead (opening a connection, parsing HTTP in
# Python, which does need the GIL) starts to count.

# %% [markdown]
# ### Try it
# With 16 requests, what speed-up would 32 threads give, and why? Predict, then run
# `measure_speedup` with `workers=[16, 32]` against a new `SlowServer`. (Answer:
# [tryit/01_gil.md § 3](../solutions/tryit/01_gil.md#3-32-threads-for-16-requests).)

# %%
# Your experiment: a server of your own for it, stopped when the block ends.
with SlowServer(delay=0.02) as try_server:
    more = measure.measure_speedup(
        functools.partial(workloads.fetch_many, try_server.url),
        total=16,
        workers=[16, 32],
        executors=["threads"],
        repeats=1,
    )
print(measure.format_speedups(more))

# %% [markdown]
# ## 5. NumPy releases the GIL
#
# `workloads.numpy_work(amount)` runs `amount` rounds of `np.sin` over an array of 100 000
# numbers. Inside such a loop over plain numbers NumPy releases the GIL, so threads can compute
# at the same time. The job is split exactly as in section 3.

# %%
print(inspect.getsource(workloads.numpy_work))

# %%
numpy_records = measure.measure_speedup(
    workloads.numpy_work,
    total=pick(250, 40),
    workers=WORKERS,
    repeats=pick(3, 2),
    name="NumPy sin over arrays",
)
print(measure.format_speedups(numpy_records))

# %%
fig, ax = plots.plot_speedup(numpy_records)

# %% [markdown]
# What to look for: unlike in section 3, the threads line can now climb like the processes
# line, up to the number of idle cores: most of the time is spent in C with the GIL
# released. Threads also avoid what processes pay for, sending the work across (next
# section); where the threads line is the higher one, that is why. If neither line climbs,
# other programs are busy on the cores (the footnote counts the cores this process may use,
# not the ones that are idle right now): run the cell again and compare.

# %% [markdown]
# ### Try it
# Make each round tiny: `functools.partial(workloads.numpy_work, size=100)` with a `total`
# 1000 times larger does the same arithmetic in 1000 times more calls. Measure threads again.
# What happens to their speed-up, and why? (Answer:
# [tryit/01_gil.md § 4](../solutions/tryit/01_gil.md#4-tiny-numpy-rounds).)

# %%
# Your experiment: the same arithmetic as above, cut into rounds 1000 times smaller.
tiny_rounds = functools.partial(workloads.numpy_work, size=100)
tiny = measure.measure_speedup(
    tiny_rounds, total=pick(250_000, 40_000), workers=[1, CORES], executors=["threads"], repeats=1
)
print(measure.format_speedups(tiny))

# %% [markdown]
# ## 6. The cost of shipping arguments to a process pool
#
# A process has its own memory. To run `f(x)` in a worker, the pool pickles `f` (by name) and
# `x` (by value), writes the bytes to a pipe, and the worker reads and unpickles them; the
# result travels back the same way. Threads share memory and pass a reference. Below, one
# call whose argument is a `bytes` object of growing size, and whose work is only `len`.

# %%
sizes = [0.01, 0.1, 1, 8, 64] if not context.fast_mode() else [0.01, 0.1, 1, 4]
transfer = measure.measure_transfer(sizes, repeats=pick(3, 2))
for r in transfer:
    print(f"{r.megabytes:6.2f} MB via {r.executor:9}: {r.seconds * 1000:8.3f} ms")

# %%
fig, ax = plots.plot_transfer(transfer)

# %%
largest = max((r for r in transfer if r.executor == "processes"), key=lambda r: r.megabytes)
rate = largest.megabytes / largest.seconds
print(f"shipping {largest.megabytes:g} MB to a worker took {largest.seconds * 1000:.0f} ms,")
print(f"about {rate:.0f} MB/s, or {1000 / rate:.1f} ms per MB, before any real work")

# %% [markdown]
# What to look for: the process-pool line rises in proportion to the size (on log-log axes, a
# straight line), while the thread line stays flat and far lower: nothing is copied. When a
# chunk's argument takes longer to ship than its work takes to compute, a process pool is
# slower than doing the work in place. Cures: send a small description (a file name, a seed,
# a range of rows) and let the worker load or build the data; make chunks bigger so that each
# message carries more work; or share memory (`multiprocessing.shared_memory`, next section).

# %% [markdown]
# ### Try it
# Using the ms-per-MB rate just printed and the one-plain-call time from section 3, how many
# loop steps of `pure_python_work` take as long as shipping 10 MB? (Answer:
# [tryit/01_gil.md § 5](../solutions/tryit/01_gil.md#5-shipping-10-mb).)

# %%
# Your calculation: the two rates, measured above.
ms_per_mb = 1000 / rate
steps_per_ms = cpu_total / (cpu_records[0].baseline_seconds * 1000)
print(f"{ms_per_mb:.2f} ms per MB shipped; {steps_per_ms:,.0f} loop steps per ms")

# %% [markdown]
# ## 7. `multiprocessing` itself: `Process`, `Pool` and shared memory
#
# `ProcessPoolExecutor` is built on the `multiprocessing` package, which also works without a
# pool. A `Process` runs one function in a new process and returns nothing by itself: results
# come back through a `Queue` (or a `Pipe`). The context picks the start method.

# %%
ctx = measure.pool_context()  # forkserver here, or spawn
results = ctx.Queue()
child = ctx.Process(target=sharing.square_into, args=(results, 7))
child.start()
print("from the child (its pid, 7 * 7):", results.get(timeout=60), "| this process:", os.getpid())
child.join()
print("exit code:", child.exitcode)

# %% [markdown]
# `multiprocessing.Pool` is the older pool: `map`, `imap_unordered`, `apply_async`, and a
# `chunksize` that sends several items per message.

# %%
with ctx.Pool(2) as pool:
    print(pool.map(cpu_work.pure_python_work, [10, 100, 1000], chunksize=2))

# %% [markdown]
# **Shared memory instead of a copy.** `multiprocessing.shared_memory.SharedMemory` is a block
# of memory that several processes map at once. Put an array in it once, and a worker reaches
# it by the block's *name*: a few bytes to send instead of the whole array. `measure_sharing`
# sums a float array in a worker process, first sending the array with the call (pickled and
# piped), then sending only the name of a block that holds it.

# %%
print(inspect.getsource(sharing.shared_sum))

# %%
shared = sharing.measure_sharing([0.1, 1, 8, 64] if not context.fast_mode() else [0.1, 1, 8])
for r in shared:
    print(f"{r.megabytes:5.1f} MB, {r.method:13}: {r.seconds * 1000:7.2f} ms (sum {r.result:,.0f})")

# %%
fig, ax = plots.plot_sharing(shared)

# %% [markdown]
# What to notice: both ways compute the same sum, but the pickled line rises with the size
# (the copy is most of the time), while the shared-memory line stays low until summing itself
# takes a while. The price: you manage the block yourself. Whoever creates it must `close()`
# it and, once nobody needs it any more, `unlink()` it; it holds plain bytes (NumPy arrays,
# `array`, `memoryview`; `ShareableList` for a few simple values), not Python objects; and two
# processes writing the same bytes need a lock of their own.

# %% [markdown]
# ## 8. Free-threaded builds: Python without the GIL
#
# Since Python 3.13, CPython comes in an optional **free-threaded** build (PEP 703; often
# installed as `python3.13t`). It has no GIL by default: reference counts and the insides of
# built-in objects are protected by finer-grained means, so threads can run Python code on
# several cores at once. In 3.13 that build is *experimental*; from 3.14 it is *officially
# supported* (PEP 779), though still a separate build that you choose, not the default. The
# price, as Python's documentation says, is some overhead for single-threaded code; and an
# extension module not marked as safe switches the GIL back on when it is imported (so do
# `PYTHON_GIL=1` and `-X gil=1`). So "which build is this?" and "is the GIL on right now?" are
# two questions: `sysconfig` answers the first, `sys._is_gil_enabled()` (3.13+) the second.

# %%
free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
is_gil_enabled = getattr(sys, "_is_gil_enabled", None)  # exists from Python 3.13
print(f"Python {sys.version.split()[0]}, free-threaded build: {free_threaded}")
print("GIL enabled right now:", True if is_gil_enabled is None else is_gil_enabled())

# %%
if context.machine().gil_enabled:
    print("The GIL is on here: in section 3 the threads line is expected to stay near 1.")
else:
    print("The GIL is off here: in section 3 threads can climb like processes do.")

# %% [markdown]
# Every plot's footnote says which of the two you measured. On a free-threaded build, run
# section 3 again and look for the threads line rising with the processes line. Built-in
# objects such as lists then carry locks of their own, so one `append` stays safe, while
# multi-step updates like `counter += 1` lose updates with or without a call in them (run
# section 1 again): use a lock.

# %% [markdown]
# ## 9. Sub-interpreters: `InterpreterPoolExecutor` (Python 3.14)
#
# A third way to run Python on several cores: several interpreters in *one* process, each with
# its own GIL (possible since 3.12, PEP 684) and its own modules and objects. Python 3.14 adds
# `concurrent.futures.InterpreterPoolExecutor`, used like the other two pools: each worker
# thread runs its own interpreter. Like a process pool, it pickles a function and its
# arguments to send them, so functions must come from a module; unlike a process pool, it
# starts no process and nothing crosses a pipe. Extension modules must declare that they
# support this, and NumPy, for one, does not yet: that is why the function below comes from
# `cpu_work`, a module that imports nothing.

# %%
print("InterpreterPoolExecutor available:", sys.version_info >= (3, 14))

# %%
if sys.version_info >= (3, 14):
    from concurrent.futures import InterpreterPoolExecutor

    chunks = workloads.split_evenly(cpu_total, CORES)
    started = time.perf_counter()
    with InterpreterPoolExecutor(CORES) as interpreters:
        list(interpreters.map(cpu_work.pure_python_work, chunks))
    seconds = time.perf_counter() - started
    baseline = cpu_records[0].baseline_seconds
    print(f"{CORES} interpreters, start-up included: {seconds * 1000:.0f} ms", end=" ")
    print(f"against {baseline * 1000:.0f} ms for one plain call")
else:
    print(f"Python {sys.version.split()[0]}: no InterpreterPoolExecutor. On 3.14 this cell")
    print(f"runs the section-3 job split over {CORES} interpreters, one per usable core.")

# %% [markdown]
# ## 10. Try it all: the measuring panel
#
# Pick a task, a work size and the largest number of workers (up to twice the usable cores,
# at most 8): the panel runs the job with 1 up to that many threads and processes and redraws
# the plot. Each point is the best of three
# short runs, so expect some noise; press *Measure again* to see how much.

# %%
panel = gil_panel(task="cpu", size=1, workers=CORES)
panel

# %% [markdown]
# ## Pitfalls and under the hood
#
# **A function defined in a notebook cell cannot run in a spawn or forkserver pool.** Pickle
# sends a function by name (`__main__.cell_square`); a worker started fresh has no such name.
# That is why this course keeps every pool worker in `advpy` modules.


# %%
def cell_square(x):
    return x * x


print(pickle.dumps(cell_square))  # only the module and the name travel

# %%
try:
    with ProcessPoolExecutor(1, mp_context=measure.pool_context()) as pool:
        print(pool.submit(cell_square, 3).result(timeout=60))
except Exception as error:
    print(f"{type(error).__name__}: {error}")

# %% [markdown]
# What to notice: the notebook only hears that the worker died (`BrokenProcessPool`). The
# worker's own complaint goes to the kernel's error stream (shown in red under the cell when
# Jupyter passes it on): `AttributeError: Can't get attribute 'cell_square' on <module
# '__main__'>`. Move the function into a module and import it, as
# `advpy.lessons.gil.workloads` does.
#
# More pitfalls, and what is under the hood:
#
# - **fork hides that pitfall, for a while.** With the *fork* start method (the Linux default
#   before Python 3.14) a worker is a copy of the notebook process, cell functions included.
#   The same code then fails on macOS and Windows (spawn) and on Python 3.14+ (forkserver),
#   and forking a process that has other threads running can copy a lock in its "held" state
#   into a child where no thread will ever release it. Pick the start method on purpose.
# - **Scripts need `if __name__ == "__main__":`** around the code that starts a pool under
#   spawn and forkserver: each worker imports the main module again.
# - **Pools cost a start-up.** Create one pool and reuse it for many tasks; give it chunks
#   big enough (`chunksize=` in `map`) that each message carries real work.
# - **Libraries have their own threads.** Matrix products (`a @ b`) call a BLAS library that
#   may already use every core; adding threads or processes on top can slow things down.
# - **"Releases the GIL" is a property of each C function.** Sockets, files, `time.sleep`,
#   `zlib`, `hashlib` on large inputs and NumPy loops over numbers do (NumPy only for loops
#   over more than 500 elements); NumPy on `dtype=object` arrays and pure-Python libraries
#   do not.
# - **Under the hood.** Since Python 3.2 the waiting thread asks for the GIL after the switch
#   interval (earlier versions switched every 100 "ticks"); since 3.10 the running thread
#   answers only at calls, function entries and backward jumps; since 3.12 a sub-interpreter
#   can have its own GIL (PEP 684); the free-threaded build runs without one (experimental in
#   3.13, supported in 3.14).

# %% [markdown]
# ## Summary
#
# - The GIL lets one thread at a time run Python bytecode; it keeps the interpreter's
#   reference counts and built-in objects consistent, not your multi-step updates. Whether a
#   race shows up depends on the interpreter's check points: a lock is the only guarantee.
# - A waiting thread asks for the GIL after the switch interval (`sys.getswitchinterval()`,
#   5 ms by default), and gets it at the running thread's next check point: after one long C
#   call that keeps the GIL, however long that takes.
# - Pure-Python computing does not get faster with more threads while the GIL is on;
#   processes can use every core (section 3 shows how close to ideal they came on yours).
# - Waiting (network, disk) and C code that releases the GIL (NumPy) can use threads well.
# - Process pools pay to start and to ship arguments and results: start one pool and keep it,
#   keep messages small and work per message large, keep worker functions importable from a
#   module, and put big arrays in `shared_memory` instead of sending them.
# - Size pools by the cores the process may use (`advpy.cores.usable_cores()`), not
#   `os.cpu_count()`.
# - Free-threaded builds (experimental in 3.13, supported in 3.14) can run threads in parallel,
#   and 3.14's `InterpreterPoolExecutor` runs one interpreter per worker: check what you run.
#
# **Graded exercises:** [`exercises/ps01_gil.ipynb`](exercises/ps01_gil.ipynb) - an
# order-preserving `parallel_map` over processes, a speed-up table from timings, and choosing
# the right executor for a workload.
