# %% [markdown]
# # 02 · Memory management: reference counts, cycles and leaks
#
# A web service whose memory grows by a few megabytes an hour gets killed by the operating
# system a week after each deploy, and nobody can say which line is to blame. Python frees
# memory for you, but it frees an object only when nothing refers to it any more: a forgotten
# global cache, a list of callbacks or a history of results keeps everything it touches alive.
# This lesson shows how CPython decides when to free an object, then uses the standard tools
# (`gc`, objgraph, memory-profiler, tracemalloc) to catch a real leak, fix it, and measure the fix.
#
# **Learning objectives.** By the end you can:
# - watch reference counts change and see an object freed the moment its last reference goes;
# - explain why reference cycles need the cyclic garbage collector, observe it at work, and
#   measure what cycles cost even though they are collected;
# - draw who refers to what with objgraph, and catch a growing object count with `show_growth`;
# - find the line that leaks with memory-profiler and tracemalloc snapshots, and fix a leaking
#   cache with `weakref.WeakValueDictionary`;
# - measure what `__slots__` saves, and what it costs; spot an `lru_cache` that keeps
#   instances alive; and freeze the heap before a server forks its workers.
#
# **Prerequisites.** Classes, attributes, dicts and modules. No earlier lesson is needed
# ([01 · The GIL](01_gil.ipynb) mentions reference counts briefly). Every number below is
# measured when you run the notebook: yours will differ from a classmate's, so read them for
# their *shape* and their *differences*.

# %% [markdown]
# ## Setup
# Run this cell first: it imports what the lesson uses, loads memory-profiler's `%memit` and
# `%mprun`, and prints what the measurements run on. Fast mode (`ADVPY_FAST=1`) shrinks the
# inputs so the whole notebook runs in seconds.
#
# One thing to know: `%load_ext memory_profiler` itself imports `distutils` (memory-profiler
# 0.61 uses it to compare IPython versions), and Python 3.12 removed `distutils` from the
# standard library. On 3.12 and later the line works only because `setuptools` is installed
# and stands in for it; in this course `setuptools` arrives as a dependency of nbgrader. If
# the cell fails with `ModuleNotFoundError: No module named 'distutils'`, install setuptools.

# %%
# %matplotlib inline
# %load_ext memory_profiler
import gc
import inspect
import io
import sys
import tracemalloc
import weakref

import objgraph

from advpy.lessons import context
from advpy.lessons.context import pick
from advpy.lessons.memory import (
    cycles,
    forking,
    leaks,
    measure,
    memviz,
    method_cache,
    plots,
    slotted,
)

print(context.machine_summary())

# %% [markdown]
# ## 1. Reference counting, seen live
#
# Every CPython object carries a count of the references that point at it: names, list
# slots, dict values, attributes. Binding a name adds one, `del` or rebinding removes one.
# When the count drops to zero the object is freed **at once**, not later and not by a
# background thread. `sys.getrefcount(obj)` reads the count.

# %%
payload = ["a", "list", "nobody", "else", "knows"]
sys.getrefcount(payload)

# %% [markdown]
# What to notice: only the name `payload` holds the list. A count higher than that includes
# the temporary reference that `getrefcount`'s own argument holds while the call runs (see
# *Pitfalls*). Exact counts are a CPython detail that changes between versions; the
# *differences* are what you can rely on.

# %%
before = sys.getrefcount(payload)
alias = payload
holder = {"key": payload}
sys.getrefcount(payload) - before

# %%
del alias
holder.clear()
sys.getrefcount(payload) - before

# %% [markdown]
# A new name and a dict value each added one reference; `del` and `clear()` took them away.
# `del` removes a *name*, never an object. To see when the object itself goes, attach a
# callback with `weakref.finalize(obj, func, *args)`: it calls `func(*args)` once, right when
# `obj` is freed, without keeping `obj` alive. (It needs an object that accepts weak
# references: instances of your own classes do, plain lists and dicts do not.)


# %%
class Tracked:
    """An object we can watch being freed."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Tracked({self.name!r})"


freed = []  # the names of watched objects, appended when each is freed

# %%
first = Tracked("first")
weakref.finalize(first, freed.append, "first")
second_name = first
del first
freed

# %%
del second_name
freed

# %% [markdown]
# What to notice: `del first` freed nothing, because `second_name` still referred to the
# object. The callback fired inside `del second_name`, when the last reference went: the
# list shows it on the very next line.
#
# ### Try it
# Does a list keep an object alive? Put a `Tracked` object in a list only, watch it with
# `weakref.finalize`, then try `box.clear()` (or `del box`). Predict first, then run.
# (Answer: [tryit/02_memory.md § 1](../solutions/tryit/02_memory.md#1-a-list-keeps-items-alive).)

# %%
box = [Tracked("boxed")]
weakref.finalize(box[0], freed.append, "boxed")
# your experiment here, e.g. box.clear(), then look at `freed`
freed

# %% [markdown]
# ## 2. Reference cycles: what only the cyclic collector frees
#
# Reference counting cannot free objects that refer to each other: after the last outside
# name goes, each still holds the other, so neither count reaches zero. CPython's **cyclic
# garbage collector** (the `gc` module) looks for such groups that nothing outside refers to,
# and frees them. Turning it off with `gc.disable()` makes the difference visible.


# %%
class Node:
    """A node that can point at a partner node."""

    def __init__(self, name):
        self.name = name
        self.partner = None

    def __repr__(self):
        return f"Node({self.name!r})"


def make_pair(tag):
    """Two nodes that refer to each other, each watched by a finalize callback."""
    a, b = Node(f"{tag}-a"), Node(f"{tag}-b")
    a.partner, b.partner = b, a
    weakref.finalize(a, freed.append, a.name)
    weakref.finalize(b, freed.append, b.name)
    return a, b


# %%
gc.collect()  # start from a clean slate
gc.disable()  # from here on, only reference counting frees objects
freed.clear()
left, right = make_pair("pair")
del left, right
freed

# %% [markdown]
# Both names are gone, yet the list is empty: nothing was freed, because each node still
# refers to the other. Now run the collector by hand. `gc.collect()` returns how many
# unreachable objects it found.

# %%
found = gc.collect()
gc.enable()
print(f"gc.collect() found {found} unreachable objects; freed now: {freed}")

# %% [markdown]
# What to notice: the callbacks fired only inside `gc.collect()`. The count includes our two
# nodes, and whatever else had become unreachable garbage since the previous collection.
#
# ### Generations
# Searching every object for cycles takes time, so the collector sorts the objects it tracks
# (containers: lists, dicts, instances...; not ints or strings) into **generations**. New
# objects start in generation 0; those that survive a collection move to the next one. A
# generation-0 collection starts when allocations minus deallocations of tracked objects pass
# the first threshold; the older generations are collected far less often.

# %%
print("thresholds (gen 0, gen 1, gen 2):", gc.get_threshold())
print("objects counted towards each:    ", gc.get_count())

# %%
pairs = pick(200_000, 20_000)
for c in measure.measure_collections(pairs):
    print(f"generation {c.generation}: {c.runs:4d} collections freed {c.collected:7d} objects")
print(f"{2 * pairs} objects were made, every one of them garbage in a cycle")

# %% [markdown]
# What to notice: while we made `pairs` two-node cycles and dropped each at once, the young
# generation was collected many times and the older ones rarely or never. The numbers freed
# add up to nearly all the objects made; the rest wait for the next collection.
#
# **What changed between versions.** Up to Python 3.11 a collection could start inside any
# allocation of a tracked object. Since 3.12 the allocation only *schedules* it, and it runs at
# the eval loop's next check point (the same places where threads switch, lesson 01), so a long
# C call does not collect in the middle. 3.13 raised the first threshold from 700 to 2000.
# Python 3.14.0 to 3.14.4 shipped an *incremental* collector (two generations, the old one
# scanned a slice at a time); after reports of memory growth in production it was taken out
# again in 3.14.5, and 3.14.5+ and 3.15 use 3.13's generational collector. So on 3.14 the
# split between generations depends on the patch release; these numbers were measured on
# the version printed in the setup cell.
#
# ### Who refers to an object?
# When an object survives that should not, ask what holds it: `gc.get_referrers(obj)` lists
# the objects tracked by the collector that refer to `obj`.

# %%
left, right = make_pair("ask")
holders = gc.get_referrers(right)
print([("this notebook's global names" if h is globals() else h) for h in holders])
del holders  # a list of referrers is itself a reference: do not keep it around

# %% [markdown]
# `right` is held by the notebook's global names (the name `right`) and by `left`, through its
# `partner` attribute (depending on the Python version you may see `left`'s attribute `dict`
# instead of `left` itself). We printed the list instead of leaving it as the cell's result
# on purpose: see *Pitfalls* below.
#
# ### Try it
# An object can form a cycle alone: give a `Tracked` object an attribute that refers to
# itself, watch it, disable the collector and `del` it. Is it freed? When? (Remember
# `gc.enable()` at the end.) (Answer:
# [tryit/02_memory.md § 2](../solutions/tryit/02_memory.md#2-a-cycle-of-one-object).)

# %%
me = Tracked("self-cycle")
weakref.finalize(me, freed.append, me.name)
# your experiment here: me.myself = me, gc.disable(), del me, freed, gc.collect(), ...
gc.enable()

# %% [markdown]
# ### Collected is not free: what cycles cost
#
# The collector does free cycles, so why avoid them? Because it frees them *late*, and
# because finding them takes time. `advpy.lessons.memory.cycles` serves requests whose state
# holds a 10 kB buffer; in one version the request's session and its handler refer to each
# other (a cycle), in the other the handler reaches its session through a weak reference.

# %%
print(inspect.getsource(cycles.Handler))
print(inspect.getsource(cycles.WeakHandler))

# %% [markdown]
# `measure_cycle_memory` serves the requests one after another, each dropped when done, with
# the collector running as usual, and records the memory still allocated after each one.

# %%
cycle_runs = measure.measure_cycle_memory(pick(3_000, 1_000), request_bytes=10_000)
for run in cycle_runs:
    print(
        f"{run.approach:26}: peak {run.peak_bytes / 1024:8,.0f} KiB "
        f"(= {run.peak_requests:5,.0f} buffers), {run.collections} collections"
    )

# %%
fig, ax = plots.plot_cycle_memory(cycle_runs)

# %% [markdown]
# What to notice: without the cycle, each buffer is freed when its request ends, and memory
# stays at about one request's worth. With the cycle, every finished request's buffer stays
# until the next young collection, which comes only after a few hundred tracked objects (the
# first threshold above) have piled up: a sawtooth whose peak is hundreds of requests' worth.
# Survivors of a young collection move to an older generation and can wait far longer. Big
# buffers in cycles therefore raise a program's peak memory, and the operating system sees
# the peak.
#
# The second cost is the pause. A full collection (`gc.collect()`, or an automatic
# collection of the oldest generation) visits every object the collector tracks, garbage or
# not, while the program waits:

# %%
pauses = measure.measure_collection_pause(
    [0, 250_000, 500_000, 1_000_000] if not context.fast_mode() else [0, 150_000, 300_000]
)
for r in pauses:
    print(f"{r.tracked:>10,} tracked objects: full collection {r.seconds * 1000:6.1f} ms")

# %%
fig, ax = plots.plot_collection_pause(pauses)

# %% [markdown]
# What to notice: the pause grows in step with the number of tracked objects, though none of
# them was garbage. The first point is the notebook with nothing added: IPython's, NumPy's and
# matplotlib's own objects already cost a pause of their own. A service that keeps millions
# of objects alive pays that pause every time the oldest generation is collected (CPython
# does that only when the objects that survived since the last full collection exceed a
# quarter of the old ones, to keep it rare). Breaking cycles yourself, with weak references
# or by clearing a back-link when you are done (`close()`), lets reference counting free the
# memory at once and leaves the collector less to do.

# %% [markdown]
# ## 3. Pictures of references with objgraph
#
# [objgraph](https://mg.pov.lt/objgraph/) walks the references between live objects:
# `show_refs(objs)` follows what the objects refer to, `show_backrefs(objs)` follows what
# refers to them. It writes the graph in the text format of [Graphviz](https://graphviz.org),
# whose `dot` program draws it. `advpy.lessons.memory.memviz` wraps the two steps so that the
# picture is shown in the notebook, and a machine without Graphviz gets a message saying what
# to install instead of an error. Classes are left out of the pictures to keep them small.

# %%
print(memviz.graphviz_status())

# %% [markdown]
# ### objgraph picture of a cycle
# What `left` refers to, three references deep: the red box is the object we asked about, each
# arrow is one reference.

# %%
memviz.picture([left], alt="objgraph picture of a cycle", max_depth=3)

# %% [markdown]
# What to notice: `Node('ask-a')` refers to its name and to `Node('ask-b')`, which refers back:
# a cycle of two arrows. The strings are leaves: they refer to nothing.
#
# ### Who keeps an unreachable cycle alive?
# Drop our names with the collector paused, keep only a *weak* reference (`weakref.ref`, which
# finds the object without holding it), and ask `show_backrefs` what still refers to the node.

# %%
gc.disable()
probe = weakref.ref(left)
del left, right
memviz.picture([probe()], alt="objgraph picture of what refers to a node", backrefs=True)

# %%
print("collected:", gc.collect(), "| node still alive:", probe() is not None)
gc.enable()

# %% [markdown]
# What to notice: the only arrow into `Node('ask-a')` comes from `Node('ask-b')`, and the only
# arrow into that one comes back from `Node('ask-a')`. Nothing outside the cycle holds it, which
# is exactly what the collector looks for; after `gc.collect()` the weak reference finds
# nothing.
#
# ### `show_growth`: catching a leak between two runs
# `objgraph.show_growth()` counts the objects of each type that the collector tracks and prints
# the types whose count went above its previous peak since the last call. Call it once to set
# the baseline, run the suspect code, call it again. `advpy.lessons.memory.leaks` holds a small
# report service with a global cache; each request asks for a new report and drops it after use.

# %%
requests = pick(500, 100)
leaks.clear_caches()
objgraph.show_growth(file=io.StringIO())  # the baseline: prints every type, so discard it
leaks.serve_requests(requests, leaks.get_report)
objgraph.show_growth(limit=5)

# %%
leaks.serve_requests(requests, leaks.get_report, first=requests)
objgraph.show_growth(limit=5)

# %% [markdown]
# What to notice: `Report` grew by one object per request, and grew again by the same amount
# on the second run. Objects nobody uses any more, piling up run after run: that is a leak.
# (The other lines, if any, are the notebook's own bookkeeping: one more dict, one more
# history entry.)
# The same service with a weak cache (section 6) does not grow:

# %%
leaks.clear_caches()
objgraph.show_growth(file=io.StringIO())
leaks.serve_requests(requests, leaks.get_report_weak, first=2 * requests)
objgraph.show_growth(limit=5)
print("Report objects alive now:", objgraph.count("Report"))

# %% [markdown]
# (Nothing listed about `Report` means its count never passed its previous peak.)
#
# ### Try it
# Draw a ring of three nodes (`a.partner = b`, `b.partner = c`, `c.partner = a`) with
# `memviz.picture([a], alt="ring", max_depth=4)`. Then draw `show_backrefs` of `a` while the
# names still exist: where do the notebook's own references show up? (Answer:
# [tryit/02_memory.md § 3](../solutions/tryit/02_memory.md#3-a-ring-of-three-nodes).)

# %%
ring = [Node("r1"), Node("r2"), Node("r3")]
# your experiment here
len(ring)

# %% [markdown]
# ## 4. memory-profiler: the process's memory, line by line
#
# [memory-profiler](https://pypi.org/project/memory-profiler/) reads the process's *resident
# memory* (RSS: what the operating system counts for the process, in MiB). `%memit statement`
# runs a statement and reports the peak and the increase over the memory before it.
# `%mprun -f function statement` runs the statement and reports memory after each line of
# `function`; it only works for functions defined in a file, which is why the function
# profiled here, `build_index`, lives in `advpy/lessons/memory/leaks.py`.

# %%
rows = pick(500_000, 100_000)
# %memit leaks.build_index(rows)

# %%
# %mprun -f leaks.build_index leaks.build_index(rows)

# %% [markdown]
# What to notice: JupyterLab shows `%mprun`'s table below the cell (other front ends open it
# in a pager). The `Increment` column says how much the process grew on each line: the list of
# numbers, the list of labels, then the dict. `del labels` gives back less than the labels
# took, or nothing: the strings live on as the dict's keys, only the list itself is freed, and
# Python keeps freed memory around for reuse instead of handing it back to the system at once.
# RSS answers "how big is my process?"; to answer "which line keeps memory alive?" exactly,
# use tracemalloc.
#
# ## 5. tracemalloc: the line that leaks
#
# `tracemalloc` (standard library) records, for every block of memory Python allocates, the
# file and line that allocated it, and forgets it when it is freed. Take a snapshot, run the
# suspect code, take another, and compare: the lines whose live memory grew come first.

# %%
leaks.clear_caches()
tracemalloc.start(10)  # keep 10 frames of each allocation's call stack
before = tracemalloc.take_snapshot()
leaks.serve_requests(pick(1_000, 200), leaks.get_report)
after = tracemalloc.take_snapshot()

# %%
for stat in after.compare_to(before, "lineno")[:3]:
    print(stat)

# %% [markdown]
# What to notice: the first line is in `advpy/lessons/memory/leaks.py`, the line of
# `render_report` that allocates each report's body, with one block per request still alive.
# tracemalloc tells *where memory was allocated*, not *who keeps it*. Grouping by the whole call
# stack (`"traceback"`) shows the path that allocation took:

# %%
top = after.compare_to(before, "traceback")[0]
print(
    f"{top.size_diff / 1024:,.0f} KiB more in {top.count_diff} blocks, allocated along this path:"
)
print("\n".join(top.traceback.format(limit=5)))

# %%
tracemalloc.stop()
del before, after, top

# %% [markdown]
# Read the stack from the top (oldest call) down: the request loop called `get_report`, whose
# cache helper `_cached` rendered the report and stored it in `_REPORTS`, a module-level dict
# nothing ever removes from. The memory is alive because the global cache holds it.
#
# ### Try it
# Compare the same snapshots with `"filename"` instead of `"lineno"`, and use
# `snapshot.filter_traces([tracemalloc.Filter(True, leaks.__file__)])` to keep only the lines
# of `advpy/lessons/memory/leaks.py`. Which view would you use first on a large program?
# (Answer: [tryit/02_memory.md § 4](../solutions/tryit/02_memory.md#4-tracemalloc-by-file).)

# %%
# your experiment here (start tracemalloc again and take two snapshots)
tracemalloc.is_tracing()

# %% [markdown]
# ## 6. The fix: a cache that does not keep its values alive
#
# A `weakref.WeakValueDictionary` looks like a dict, but holds its values through weak
# references: an entry disappears as soon as nothing else refers to its value. It still works
# as a cache while someone holds a report: two callers asking for the same key get the same
# object.

# %%
leaks.clear_caches()
one = leaks.get_report_weak("shared")
two = leaks.get_report_weak("shared")
print("same object for both callers:", one is two, "| entries:", leaks.cache_entries()["weak"])
del one, two
print("entries after both let go:   ", leaks.cache_entries()["weak"])

# %% [markdown]
# Now measure both caches the same way: serve the same requests from empty caches, and record
# the memory still allocated (tracemalloc, after a collection) every few requests.

# %%
requests = pick(3_000, 400)
growth = measure.measure_cache_growth(
    leaks.get_report, "global dict (before)", requests=requests
) + measure.measure_cache_growth(
    leaks.get_report_weak, "WeakValueDictionary (after)", requests=requests
)

# %%
fig, ax = plots.plot_cache_growth(growth)

# %%
for record in (r for r in growth if r.requests == requests):
    per_request = record.bytes_held / record.requests
    print(f"{record.cache:28}: {per_request:9,.1f} bytes kept per request served")
print(f"{'one report body':28}: {leaks.REPORT_SIZE:9,d} bytes")

# %% [markdown]
# What to notice: with the plain dict, memory rises in a straight line, by about one report
# per request: every report ever rendered is still there. With the weak cache the line stays
# flat near zero, whatever the number of requests. The price: a report nobody holds is gone,
# so the next request for it renders it again. When re-rendering is too costly, bound the
# cache instead (`functools.lru_cache(maxsize=...)`, or an LRU cache like problem set 32's).
#
# ### Another leak: `lru_cache` on a method
#
# `functools.lru_cache` on a method looks harmless, but the cache belongs to the *function*,
# which lives on the class, and every key includes `self`. Each instance that ever called the
# method stays in the cache, and so stays alive, with everything it holds.

# %%
print(inspect.getsource(method_cache.PriceList))

# %%
prices = method_cache.PriceList("EUR")
print(prices.price("coffee"))
still_there = weakref.ref(prices)
del prices
gc.collect()
print("instance freed after del and gc.collect():", still_there() is None)
print("cache entries:", method_cache.PriceList.price.cache_info().currsize)

# %% [markdown]
# What to notice: no name refers to the instance any more and a full collection ran, yet the
# weak reference still finds it: the method's cache holds it (the instance here carries a
# 100 kB catalogue, all of it kept). Clearing the cache lets it go:

# %%
method_cache.PriceList.price.cache_clear()
print("freed after cache_clear():", still_there() is None)

# %% [markdown]
# The fix: keep the cache on the instance (below, a plain dict), so that it goes with the
# instance; or cache a module-level function whose arguments are the values that matter,
# not `self`.

# %%
own = method_cache.PriceListOwnCache("EUR")
print(own.price("coffee"))
own_ref = weakref.ref(own)
del own
print("instance with its own cache freed at del:", own_ref() is None)

# %% [markdown]
# ## 7. `__slots__`: smaller objects, measured
#
# An ordinary instance keeps its attributes in a per-instance table that can hold any
# attribute name. A class that lists its attributes in `__slots__` gets fixed fields instead,
# and its instances have no `__dict__`. `advpy.lessons.memory.slotted` holds two such `Point`
# classes; we measure many instances of each, plus ordinary instances whose `__dict__` was read once
# (as `vars(obj)` or some serialisers do).

# %%
largest = pick(100_000, 10_000)
sizes = measure.measure_instances([largest // 4, largest // 2, largest])

# %%
fig, ax = plots.plot_instance_memory(sizes)

# %%
each = {r.kind: r.bytes_each for r in sizes if r.instances == largest}
for kind, size in each.items():
    print(f"{kind:36}: {size:6.1f} bytes per instance")
ratio = each["class with __slots__"] / each["ordinary class"]
print(f"__slots__ instances take {ratio:.0%} of an ordinary instance's memory here")

# %% [markdown]
# What to notice: memory grows in a straight line with the number of instances for every kind,
# and the slotted line is the lowest. On CPython 3.11 and later an ordinary instance starts
# without a real `dict`, and gets one the first time something reads its `__dict__`: the
# middle line shows what that costs. The saving matters when you keep millions of small
# objects; for a few hundred it is noise. What `__slots__` costs you:

# %%
point = slotted.SlottedPoint(1.0, 2.0, 3.0)
try:
    point.w = 4.0
except AttributeError as error:
    print("new attribute:", type(error).__name__, "-", error)
try:
    weakref.ref(point)
except TypeError as error:
    print("weak reference:", type(error).__name__, "-", error)

# %% [markdown]
# No attributes beyond the slots, and no weak references unless `"__weakref__"` is one of the
# slots: such objects cannot be values of a `WeakValueDictionary` or be watched with
# `weakref.finalize`.
#
# ### Try it
# `slotted.WeakSlottedPoint` is `SlottedPoint` with `"__weakref__"` added to its slots.
# Predict what weak-reference support costs per instance, then run the cell. Does the answer
# depend on the Python version? (Answer:
# [tryit/02_memory.md § 5](../solutions/tryit/02_memory.md#5-slots-with-weak-references).)

# %%
weak_kinds = {
    "class with __slots__": (slotted.SlottedPoint, False),
    "__slots__ + __weakref__": (slotted.WeakSlottedPoint, False),
}
weak_sizes = measure.measure_instances([largest], weak_kinds)
each_weak = {r.kind: r.bytes_each for r in weak_sizes}
for kind, size in each_weak.items():
    print(f"{kind:26}: {size:5.1f} bytes per instance")
extra = each_weak["__slots__ + __weakref__"] - each_weak["class with __slots__"]
print(f"Python {sys.version.split()[0]}: the __weakref__ slot costs {extra:.0f} bytes each")

# %% [markdown]
# ## 8. Servers that fork: `gc.freeze()`
#
# Many servers (gunicorn, uWSGI, Celery's prefork pool, `multiprocessing` with *fork*) load the
# application once, then `fork()` worker processes. After a fork, parent and child share every
# page of memory until one of them *writes* to it; then the kernel copies that page for the
# writer (copy-on-write). Reading Python objects is not enough to stay shared: reference counts
# change whenever an object is used, and a collection in the child writes to the header of
# every object the collector tracks. So each worker soon holds its own copy of much of the heap.
#
# `gc.freeze()` moves every tracked object into a *permanent generation* that collections skip
# (`gc.get_freeze_count()` says how many; `gc.unfreeze()` undoes it). The pattern: turn the
# collector off early in the parent (`gc.disable()`), load the application, call
# `gc.freeze()` just before forking, and `gc.enable()` in each child.
#
# `forking.measure_fork_sharing` builds a heap of small lists in a fresh Python process, forks
# it, runs one full collection in the child, and reads how much memory the child then has of
# its own (Linux's `Private_Dirty`): once without, once with `gc.freeze()` before the fork.

# %%
if forking.supported():
    forks = forking.measure_fork_sharing(pick(500_000, 100_000))
    for r in forks:
        print(
            f"{r.objects:,} lists, {'frozen' if r.frozen else 'not frozen'}: the child's "
            f"collection took {r.collect_seconds * 1000:6.1f} ms and copied "
            f"{r.copied_kib / 1024:6.1f} MiB"
        )
else:
    print("This measurement needs Linux (os.fork and /proc/self/smaps_rollup).")

# %% [markdown]
# What to notice: without the freeze, one collection in the child made the kernel copy many
# megabytes (the pages holding the lists' headers), and took a while, visiting every list.
# With the freeze it copied almost nothing and took almost no time: the lists were not in any
# generation the collector scans. Multiply the difference by the number of workers. The
# freeze does not stop copies caused by *using* objects (their reference counts still change),
# and frozen objects that become garbage are never collected, so freeze only what the
# workers keep for their whole life.

# %% [markdown]
# ## 9. Other tools: heapy
#
# Older guides recommend **heapy**, the heap analyser of the `guppy3` package: `hpy().heap()`
# prints every live object grouped by type with sizes, and can diff two moments like
# `show_growth`. It is a third-party C extension that is not installed with this course. We use
# `tracemalloc` instead: it is in the standard library, works on every platform CPython runs
# on, and answers the question a leak hunt needs most, *which line allocated the memory that
# is still alive*. objgraph and `gc` then tell you *who holds it*.
#
# ## Pitfalls / under the hood
#
# **`getrefcount` counts its own argument.** A brand-new object that no name, list or
# attribute refers to: whatever the count shows is the call's own temporary reference.

# %%
sys.getrefcount(object())

# %% [markdown]
# **Counts are a CPython detail, and some objects are immortal.** Since Python 3.12
# (PEP 683), `None`, `True`, small ints and some other built-in objects are *immortal*: their
# count is a fixed large number that never changes, so referencing them costs no count update.
# This cell makes 1000 new references to `None` and prints how much its count moved:

# %%
count_before = sys.getrefcount(None)
many = [None] * 1000
moved = sys.getrefcount(None) - count_before
del many
print(
    f"Python {sys.version.split()[0]}: None's count moved by {moved}",
    "(immortal)" if moved == 0 else "(a real count)",
)

# %% [markdown]
# Other implementations (PyPy, GraalPy) do not use reference counts at all: objects are freed
# whenever their collector runs, so never rely on `del` to close a file; use `with`.
#
# **The notebook itself keeps your results alive.** IPython stores every cell's result in
# `Out`, `_` and `_<cell number>`: an object you displayed is not freed when you `del` its name.

# %%
shown = Tracked("shown")
weakref.finalize(shown, freed.append, "shown")
shown

# %%
del shown
print("freed after del:", "shown" in freed)
names = [n for n, v in globals().items() if isinstance(v, Tracked) and v.name == "shown"]
print("names that still hold it:", names)

# %% [markdown]
# A value you `print` is shown but not stored as the cell's result:

# %%
quiet = Tracked("quiet")
weakref.finalize(quiet, freed.append, "quiet")
print(quiet)
# %%
del quiet
print("freed after del:", "quiet" in freed)

# %% [markdown]
# Restarting the kernel is the sure way to release everything a session holds. The same trap
# awaits in a service: a list of "recent results" kept for debugging, a log handler that
# keeps records, an exception kept with its traceback (which holds every local variable of
# every frame it passed through).
#
# **Resident memory is not live memory.** memory-profiler's numbers are the process's RSS:
# Python's allocator keeps freed blocks to reuse them, so RSS may not fall after a `del`, and
# it differs from machine to machine. tracemalloc counts live Python allocations exactly, but
# only those (not memory a C library allocated on its own), and tracing slows allocation down.
#
# **Tools have version quirks.** memory-profiler 0.61 imports `distutils` as soon as
# `%load_ext memory_profiler` runs (and again in `%mprun`), and Python 3.12 removed it: on 3.12
# and later the extension loads only where `setuptools` is installed, as it is here because
# nbgrader depends on it. objgraph's pictures need Graphviz's `dot` program, which `pip` does
# not install.
#
# ## Summary
#
# - CPython frees an object the moment its reference count reaches zero; `sys.getrefcount` and
#   `weakref.finalize` let you watch it happen, `del` only removes a name.
# - Objects in a reference cycle are freed only by the cyclic collector (`gc.collect()`, run
#   automatically by generations); `gc.get_referrers` says who holds an object. Collected is
#   not free: cycles hold memory until the next collection (higher peaks), and a full
#   collection pauses the program for a time that grows with the heap.
# - objgraph draws references (`show_refs`, `show_backrefs`, through Graphviz) and
#   `show_growth` flags types whose count keeps growing between runs.
# - memory-profiler (`%memit`, `%mprun`) shows the process's memory line by line; tracemalloc
#   snapshots point at the line whose allocations stay alive, such as a global cache.
# - `weakref.WeakValueDictionary` makes a cache that does not keep its values alive, and
#   `__slots__` makes small objects smaller, at the price of flexibility. `lru_cache` on a
#   method keeps every instance alive: cache per instance, or by value.
# - Before a server forks its workers, `gc.freeze()` keeps the collector from writing to (and
#   so copying) every page of the parent's heap in each child.
#
# **Next:** the graded problem set [ps02 · Memory](exercises/ps02_memory.ipynb): a tree with
# weak parent links, a cache that lets go, and a report of the top allocation sites.
