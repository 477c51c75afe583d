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
# - explain what the GIL is, what it protects, and what it does *not* protect;
# - predict whether threads or processes speed up a task (pure Python, waiting on I/O, NumPy)
#   and check the prediction by measuring it;
# - read a speed-up plot against the ideal line and the number of cores;
# - keep process-pool work picklable and weigh the cost of shipping its arguments;
# - tell whether your interpreter runs with the GIL at all (free-threaded builds).
#
# **Prerequisites.** Functions, modules and `import`; what a thread and a process are, roughly.
# No earlier lesson is needed. Every number below is measured when you run the notebook:
# expect different numbers from a classmate's, and read the plots for their *shape*.

# %% [markdown]
# ## Setup
# Run this cell first: it imports what the lesson uses and prints what the measurements will
# run on. Fast mode (`ADVPY_FAST=1`) shrinks every job so the whole notebook runs in well
# under a minute.

# %%
# %matplotlib inline
import dis
import functools
import inspect
import pickle
import sys
import sysconfig
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from advpy.lessons import context, timing
from advpy.lessons.context import pick
from advpy.lessons.gil import measure, plots, workloads
from advpy.lessons.gil.slow_server import SlowServer
from advpy.lessons.gil.widgets import gil_panel

CORES = context.machine().cores
print(context.machine_summary())
print(timing.load_note())

# %% [markdown]
# ## 1. What the GIL is and what it protects
#
# CPython runs your code one bytecode instruction at a time, and almost every instruction
# touches **reference counts**: each object counts how many references point at it and is
# freed when the count drops to zero. Those counts change constantly, from every thread.
#
# The GIL is one lock per interpreter. A thread must hold it to run Python bytecode or to touch
# Python objects, so the interpreter's own bookkeeping (reference counts, the insides of lists
# and dicts, the memory allocator) never sees two threads at once. C code that does not need
# Python objects, such as waiting for a socket, reading a file or a NumPy loop over numbers,
# can let go of the GIL while it works.

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
# instructions: load the value, add one, store it back. The interpreter may switch threads
# between any two of them.

# %%
dis.dis("counter += 1")

# %% [markdown]
# To see a lost update without waiting for an unlucky switch, the function below forces one:
# `time.sleep(0)` between reading and writing gives the other threads their turn.

# %%
counter = 0


def unsafe_increment(count):
    global counter
    for _ in range(count):
        current = counter
        time.sleep(0)  # a thread switch lands between the read and the write
        counter = current + 1


# %%
threads = [threading.Thread(target=unsafe_increment, args=(1_000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"counter = {counter:,}; 4 threads added 1 each {4 * 1_000:,} times in total")

# %% [markdown]
# What to notice: the counter ends below the number of increments (usually far below). Each
# thread read a value, let the others run, then wrote back its stale value plus one. A
# `threading.Lock` around the read and the write fixes it (lesson 09 is about exactly that).

# %% [markdown]
# ## 2. The switch interval: how threads take turns
#
# A thread that wants the GIL waits for at most the **switch interval**. When it runs out,
# the waiting thread asks the running one to let go, and the running thread drops the GIL at
# its next check between instructions. So two busy threads take turns about once per
# interval, and never run Python code at the same moment.

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
# handoff per interval. For short intervals it can fall below the line: after the GIL is
# dropped, the operating system still has to wake the waiting thread, and on a busy machine
# that takes a while. The total loop steps stay in the same range whatever the interval: the
# interval only decides *who* runs, never *how many* run at once.

# %% [markdown]
# ### Try it
# Set the interval very small (say `0.00001`, 10 µs) and compare the total loop steps with the
# default 5 ms. What does frequent switching cost? (Answer: `solutions/tryit/01_gil.md`.)

# %%
# Your experiment: change the intervals and run the cell again.
for r in measure.measure_handoffs([0.00001, 0.005], seconds=pick(0.3, 0.05)):
    print(f"{r.interval * 1000:6.2f} ms: {r.iterations:,} loop steps, {r.handoffs:,} handoffs")

# %% [markdown]
# ## 3. CPU-bound pure Python: threads against processes
#
# The job: `workloads.pure_python_work(amount)`, a plain Python loop. With `w` workers the
# same total amount is split into `w` equal chunks. The baseline is the whole job as one
# plain call. Speed-up = baseline time / time with `w` workers; the ideal is `w`.

# %%
print(inspect.getsource(workloads.pure_python_work))

# %% [markdown]
# `measure_speedup` starts every pool (and its workers) before the clock runs, then goes round
# all set-ups `repeats` times and keeps each set-up's fastest run. Workers go from 1 to twice
# the number of cores.

# %%
cpu_total = pick(3_000_000, 300_000)
cpu_records = measure.measure_speedup(
    workloads.pure_python_work,
    total=cpu_total,
    workers=range(1, 2 * CORES + 1),
    repeats=pick(5, 1),
    name="pure Python loop",
)
print(measure.format_speedups(cpu_records))

# %%
fig, ax = plots.plot_speedup(cpu_records)

# %%
for kind in ("threads", "processes"):
    best = measure.best_speedup(cpu_records, kind)
    print(f"best with {kind:9}: x{best.speedup:.2f} at {best.workers} workers")
print(timing.load_note())

# %% [markdown]
# What to look for: the **threads** line stays near 1 however many threads there are: they
# take turns on the GIL, so the job takes as long as on one thread (often a little longer,
# because of the switching). The **processes** line climbs while there are idle cores (each
# process has its own interpreter and its own GIL) and flattens past the number of cores,
# where the dotted line is: more processes than cores only share the same cores. The gap to
# the ideal line is the cost of sending work to the processes and of whatever else is running
# on the machine.

# %% [markdown]
# ### Try it
# The time above leaves out starting the pool. Time `with ProcessPoolExecutor(CORES) as pool:
# list(pool.map(workloads.pure_python_work, workloads.split_evenly(total, CORES)))` *including*
# the `with` line, for a small `total` and a large one. When does starting processes cost
# more than it saves? (Answer in `solutions/tryit/01_gil.md`.)

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
# `measure_speedup` with `workers=[16, 32]` against a new `SlowServer`. (Answer in
# `solutions/tryit/01_gil.md`.)

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
    workers=range(1, 2 * CORES + 1),
    repeats=pick(5, 1),
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
# other programs are busy on the cores (the footnote counts the cores the machine has, not
# the ones that are free): run the cell again and compare.

# %% [markdown]
# ### Try it
# Make each round tiny: `functools.partial(workloads.numpy_work, size=100)` with a `total`
# 1000 times larger does the same arithmetic in 1000 times more calls. Measure threads again.
# What happens to their speed-up, and why? (Answer in `solutions/tryit/01_gil.md`.)

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
# message carries more work; or share memory (`multiprocessing.shared_memory`).

# %% [markdown]
# ### Try it
# Using the ms-per-MB rate just printed and the one-plain-call time from section 3, how many
# loop steps of `pure_python_work` take as long as shipping 10 MB? (Answer in
# `solutions/tryit/01_gil.md`.)

# %%
# Your calculation: the two rates, measured above.
ms_per_mb = 1000 / rate
steps_per_ms = cpu_total / (cpu_records[0].baseline_seconds * 1000)
print(f"{ms_per_mb:.2f} ms per MB shipped; {steps_per_ms:,.0f} loop steps per ms")

# %% [markdown]
# ## 7. Free-threaded builds: Python without the GIL
#
# Since Python 3.13, CPython comes in an optional **free-threaded** build (PEP 703; often
# installed as `python3.13t`). It has no GIL by default: reference counts and the insides of
# built-in objects are protected by finer-grained means, so threads can run Python code on
# several cores at once. The price, as Python's documentation says, is some overhead for
# single-threaded code; and an extension module not marked as safe switches the GIL back on
# when it is imported (so do `PYTHON_GIL=1` and `-X gil=1`). The cell below asks the
# interpreter which build it is and whether the GIL is on.

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
# multi-step updates like `counter += 1` race more often than with the GIL: use a lock.

# %% [markdown]
# ## 8. Try it all: the measuring panel
#
# Pick a task, a work size and the largest number of workers: the panel runs the job with 1
# up to that many threads and processes and redraws the plot. Each point is the best of three
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
#   interval (earlier versions switched every 100 "ticks"); since 3.12 each subinterpreter can
#   have its own GIL (PEP 684); since 3.13 the free-threaded build can run without one.

# %% [markdown]
# ## Summary
#
# - The GIL lets one thread at a time run Python bytecode; it keeps the interpreter's
#   reference counts and built-in objects consistent, not your multi-step updates.
# - Threads take turns every switch interval (`sys.getswitchinterval()`, 5 ms by default).
# - Pure-Python computing does not get faster with more threads while the GIL is on;
#   processes can use every core (section 3 shows how close to ideal they came on yours).
# - Waiting (network, disk) and C code that releases the GIL (NumPy) can use threads well.
# - Process pools pay to start and to ship arguments and results: keep messages small and
#   work per message large; keep worker functions importable from a module.
# - Free-threaded builds (3.13+) can run threads in parallel: check which build you run.
#
# **Graded exercises:** [`exercises/ps01_gil.ipynb`](exercises/ps01_gil.ipynb) - an
# order-preserving `parallel_map` over processes, a speed-up table from timings, and choosing
# the right executor for a workload.
