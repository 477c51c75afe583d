# %% [markdown]
# # ps32 · LRU cache (10 points)
#
# A profile service answers thousands of requests a second, and most of them ask for the same
# few hundred users. Keeping recent answers in memory spares the database, but memory is
# limited: when the cache is full, one entry must go. A **least recently used** (LRU) cache
# drops the entry that has gone unused for the longest time, betting that what was used
# recently will be used again soon. HTTP caches, database buffer pools and
# `functools.lru_cache` use this policy or close variants of it.
#
# **How this notebook is graded.** You write one class, `LRUCache`, in the answer cell. The
# test cells below check it; each shows its points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run the
# visible ones): passing the visible asserts is necessary, not
# sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random
from collections import OrderedDict

# %% [markdown]
# ## The problem
#
# `LRUCache(capacity)` creates an empty cache that holds at most `capacity` entries
# (`capacity >= 1`). It has two methods:
#
# - `get(key)` returns the value stored for `key` and makes `key` the **most recently used**;
#   when `key` is not in the cache it returns `-1` and changes nothing.
# - `put(key, value)` stores `value` under `key` (inserting it, or replacing the old value)
#   and makes `key` the most recently used. If the cache now holds more than `capacity`
#   entries, the **least recently used** one is removed (evicted).
#
# A worked example with `capacity = 2` (the last column lists the keys from least to most
# recently used):
#
# | call | returns | keys afterwards | why |
# |---|---|---|---|
# | `cache = LRUCache(2)` | | | empty |
# | `cache.put(1, "one")` | | 1 | |
# | `cache.put(2, "two")` | | 1, 2 | |
# | `cache.get(1)` | `"one"` | 2, 1 | reading 1 makes it the most recent |
# | `cache.put(3, "three")` | | 1, 3 | three keys is one too many: 2, the least recent, goes |
# | `cache.get(2)` | `-1` | 1, 3 | 2 was evicted |
# | `cache.put(1, "uno")` | | 3, 1 | an update: nothing is evicted, 1 becomes the most recent |
# | `cache.put(4, "four")` | | 1, 4 | 3 is now the least recent, so it goes |
# | `cache.get(3)` | `-1` | 1, 4 | |
# | `cache.get(1)` | `"uno"` | 4, 1 | |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - keys are any hashable values (numbers, strings, tuples, `None`, frozensets...), values any
#   values; `get` returns the very value stored (even `0`, `""`, `None` or `False`);
# - `get` of an absent key returns the integer `-1` and does not change the cache;
# - `put` of a key already present replaces its value, makes it the most recent, and evicts
#   nothing; `put` of a new key into a full cache evicts exactly the least recently used key;
# - every cache is independent of every other;
# - **O(1)** average time per `get` or `put`, however large the capacity.
#
# ### Why O(1), and how it is measured
# A cache sits in front of every request, so its own cost must not grow with its size. If
# `get` had to search a list of keys to move one to the "recent" end (`keys.remove(key)`,
# then `keys.append(key)`), every call would walk past up to `capacity` entries: a cache of
# 100,000 entries would do tens of thousands of steps per request, the opposite of what a
# cache is for. Two structures together make both methods O(1): a dict finds the entry for a
# key, and a **doubly linked list** in recency order lets you unlink an entry from the middle,
# append it at the end, or drop the first one, each in a few pointer moves.
# `collections.OrderedDict` is exactly a dict plus such a list (`move_to_end(key)` and
# `popitem(last=False)` are both O(1)).
#
# The complexity check fills your cache to a few hundred entries, and another one to 16 times
# as many, then runs the **same number** of `get` and `put` calls on each (hits, misses,
# updates and evictions). With O(1) operations both runs take about as long. Then it fills a
# cache of a few thousand entries, and one 8 times larger, and puts 4 new keys per entry into
# each, so that every put evicts: with O(1) operations the second run takes about 8 times as
# long as the first, no more. Each time the check compares how much your time grew with how
# much the reference solution's grew in the same run.
#
# **A trap: a plain `dict` and `next(iter(d))`.** A plain `dict` also keeps its keys in
# insertion order, so `d[key] = d.pop(key)` moves a key to the end, and
# `del d[next(iter(d))]` looks like an O(1) way to drop the least recent one. It is not. A
# dict stores its entries in a table in insertion order, and deleting a key only marks its
# entry as deleted: the marks stay in the table until the dict next resizes it, which
# happens only after many more insertions. An LRU cache always deletes the *first* live
# entry, so the marks pile up at the front of the table, and `next(iter(d))` walks past every
# one of them to find the first key still there. When new keys keep coming, every put
# evicts, and each eviction walks past the keys evicted since the last resize: their number
# grows with the capacity, and so does the cost of a put. `OrderedDict` keeps a linked list
# of its keys beside the table, so its first key is always one step away:
# `popitem(last=False)` and `next(iter(od))` are O(1) however many keys were deleted.
#
# ### What the source notes' sketch leaves out
# The sketch in the course notes uses an `OrderedDict` and is right for this contract. Three
# things it does not handle, worth knowing before you use such a cache in a service:
#
# - **`-1` is an ambiguous answer.** If `-1` can be a stored value, a caller cannot tell "absent"
#   from "present with value -1". Real APIs raise `KeyError` or take a `default=` argument
#   (like `dict.get`). This exercise keeps `-1` because the contract says so.
# - **It trusts its `capacity`.** With a capacity of 0 or less, every `put` stores the key and
#   evicts it again at once: the cache silently caches nothing. A constructor should reject a
#   capacity below 1 with a `ValueError`.
# - **It is not thread-safe.** `put` is several steps (assign, move, maybe evict); two threads
#   interleaving them can evict one key too many, or fail with a `KeyError` when the other
#   thread evicts the key in between. A cache shared by a web server's threads needs a
#   `threading.Lock` around each method's body.
#
# And when what you want to cache is the result of a function, `functools.lru_cache` already
# does all of this (thread-safely, in C).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# You need two things to be fast: finding the value for a key, and knowing which key is the
# least recently used, while "recently used" changes on every call. A dict alone gives you the
# first. What keeps an order that you can change in O(1)?
# </details>
#
# <details><summary>Hint 2</summary>
#
# `OrderedDict` (imported in the setup cell) keeps its keys in an order you control:
# `od.move_to_end(key)` moves a key to the end, and `od.popitem(last=False)` removes and
# returns the first (key, value) pair. Keep the least recent key first and the most recent
# last.
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# In `__init__`, store the capacity and `self.entries = OrderedDict()`. In `get`: if the key
# is not in `self.entries`, return `-1`; otherwise `move_to_end(key)` and return its value. In
# `put`: assign `self.entries[key] = value`, then `move_to_end(key)`, then, if the length is
# over capacity, `popitem(last=False)`. Keep everything on `self`, never on the class.
# </details>


# %% nbgrader="solution" grade_id="lru_cache_answer"
class LRUCache:
    """A cache of at most `capacity` entries that evicts the least recently used key."""

    def __init__(self, capacity):
        """Create an empty cache that holds at most capacity (>= 1) entries."""
        ### BEGIN SOLUTION
        self.capacity = capacity
        self.entries = OrderedDict()  # least recently used first, most recent last
        ### END SOLUTION

    def get(self, key):
        """Return the value stored for key and make key the most recent; -1 if absent."""
        ### BEGIN SOLUTION
        if key not in self.entries:
            return -1
        self.entries.move_to_end(key)
        return self.entries[key]
        ### END SOLUTION

    def put(self, key, value):
        """Store value under key as the most recent; evict the least recent key if over full."""
        ### BEGIN SOLUTION
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
        ### END SOLUTION


# %%
# Scratch cell: try your class here. It is not graded.
cache = LRUCache(2)
cache.put("a", 1)
cache.put("b", 2)
cache.get("a"), cache.get("z")

# %% [markdown]
# ## Tests
#
# ### Check 1 · the worked example (2 points)

# %% nbgrader="tests" grade_id="lru_cache_tests_examples" points=2
"""LRUCache replays the worked example: stored values, -1 when absent, least recent evicted."""
from advpy.checks import expect_same

cache = LRUCache(2)
cache.put(1, "one")
cache.put(2, "two")
expect_same(cache.get(1), "one", "after put(1, 'one') and put(2, 'two'): get(1)", show=True)
cache.put(3, "three")
expect_same(cache.get(2), -1, "2 was the least recent when 3 came in: get(2)", show=True)
cache.put(1, "uno")
cache.put(4, "four")
expect_same(cache.get(3), -1, "3 was the least recent when 4 came in: get(3)", show=True)
expect_same(cache.get(1), "uno", "get(1) after put(1, 'uno')", show=True)
expect_same(cache.get(4), "four", "get(4)", show=True)
### BEGIN HIDDEN TESTS
_cache = LRUCache(3)
for _key, _value in (("ann", 1), ("bob", 2), ("cid", 3)):
    _cache.put(_key, _value)
expect_same(_cache.get("ann"), 1, "a second example gave a wrong value for a key just stored")
_cache.put("dee", 4)
expect_same(_cache.get("bob"), -1, "a second example kept a key that should have been evicted")
expect_same(_cache.get("cid"), 3, "a second example evicted a key that was not the least recent")
_cache.put("eve", 5)
expect_same(
    _cache.get("ann"), -1, "a key read earlier but not since must go once it is the least recent"
)
expect_same(_cache.get("dee"), 4, "a second example lost a key that was still recent")
expect_same(_cache.get("eve"), 5, "a second example lost the key stored last")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (3 points)
# Capacity 1, updates of a present key (they evict nothing; that they make the key the most
# recent is the worked example's, in Check 1), reads of absent keys, keys of any hashable
# type, stored values that look false, and two caches that must not share anything.

# %% nbgrader="tests" grade_id="lru_cache_tests_edge_cases" points=3
"""Edge cases: capacity 1, updates, absent keys, any hashable key, falsy values, independence."""
from advpy.checks import expect_same

tiny = LRUCache(1)
tiny.put("x", 10)
tiny.put("y", 20)
expect_same(tiny.get("x"), -1, "capacity 1: put('y') must evict 'x'", show=True)
expect_same(tiny.get("y"), 20, "capacity 1: get('y')", show=True)
full = LRUCache(2)
full.put(1, 1)
full.put(2, 2)
full.put(2, 22)
expect_same(full.get(1), 1, "updating key 2 in a full cache must not evict key 1", show=True)
expect_same(full.get(2), 22, "get(2) after put(2, 22)", show=True)
### BEGIN HIDDEN TESTS
_cache = LRUCache(1)
_cache.put("k", 1)
_cache.put("k", 2)
expect_same(
    _cache.get("k"), 2, "capacity 1: updating the only key must keep it, with its new value"
)
_cache = LRUCache(3)
for _key in ("p", "q", "r"):
    _cache.put(_key, _key)
_cache.put("q", "Q")
_cache.put("r", "R")
expect_same(
    [_cache.get(_key) for _key in ("p", "q", "r")],
    ["p", "Q", "R"],
    "updating keys of a full cache must evict nothing and store the new values",
)
_cache = LRUCache(2)
_cache.put("a", 1)
expect_same(_cache.get("missing"), -1, "get of a key never stored must return the int -1")
_cache.put("b", 2)
expect_same(_cache.get("a"), 1, "get of an absent key must not take up room in the cache")
expect_same(_cache.get("b"), 2, "get of an absent key must not take up room in the cache")
_cache = LRUCache(4)
_odd_keys = [None, (1, "two"), frozenset({3}), -2.5]
for _index, _key in enumerate(_odd_keys, start=1):
    _cache.put(_key, _index)
for _index, _key in enumerate(_odd_keys, start=1):
    expect_same(_cache.get(_key), _index, "keys may be any hashable: None, tuples, frozensets")
_cache = LRUCache(4)
_falsy = {"zero": 0, "empty": "", "none": None, "false": False}
for _key, _value in _falsy.items():
    _cache.put(_key, _value)
for _key, _value in _falsy.items():
    expect_same(
        _cache.get(_key),
        _value,
        "a stored value that looks false (0, '', None, False) must be returned as is",
    )
_first, _second = LRUCache(2), LRUCache(2)
_first.put("shared?", 1)
expect_same(
    _second.get("shared?"),
    -1,
    "two caches must not share entries (keep them on self, not on the class)",
)
_big = LRUCache(50)
for _key in range(50):
    _big.put(_key, _key * 2)
expect_same(
    [_big.get(_key) for _key in range(50)],
    [2 * k for k in range(50)],
    "nothing may be evicted before the cache is over its capacity",
)
_big.put(50, 100)
expect_same(_big.get(0), -1, "once over capacity, the least recent key must go")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · many random operation sequences against a model (3 points)
# Random sequences of `get` and of `put` with keys that are not in the cache, with plain
# keys and values. Updates, unusual keys and values that look false are Check 2's.

# %% nbgrader="tests" grade_id="lru_cache_tests_random" points=3
"""LRUCache answers every get like a model LRU cache over hundreds of seeded random sequences."""
from advpy.checks import expect_same

cache = LRUCache(3)
for key in ("a", "b", "c"):
    cache.put(key, key.upper())
cache.get("a")
cache.put("d", "D")
expect_same(
    [cache.get(k) for k in ("a", "b", "c", "d")],
    ["A", -1, "C", "D"],
    "a cache of 3 after put 'a', 'b', 'c', get 'a', put 'd': get of each",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import beside

_rng = random.Random(32)


class _ModelLRU:
    """What an LRU cache must answer, replayed next to the learner's."""

    def __init__(self, capacity):
        self.capacity = capacity
        self.order = OrderedDict()

    def get(self, key):
        if key not in self.order:
            return -1
        self.order.move_to_end(key)
        return self.order[key]

    def put(self, key, value):
        self.order[key] = value
        self.order.move_to_end(key)
        if len(self.order) > self.capacity:
            self.order.popitem(last=False)


def _answers_of(make_cache, capacity, steps):
    # Runs where the answer runs: a fresh cache, then each step; what each get answered.
    built = make_cache(capacity)
    answers = []
    for is_put, key, value in steps:
        if is_put:
            built.put(key, value)
        else:
            answers.append(built.get(key))
    return answers


_key_pool = [1, 7, -3, 42, 1000, "a", "b", "user", "cart", "item"]
_value_pool = [1, -5, 12, "x", "value", 3.5, "profile"]
for _case in range(300):
    _capacity = _rng.randint(1, 5)
    _keys = _rng.sample(_key_pool, _rng.randint(2, 8))
    _model, _steps = _ModelLRU(_capacity), []
    for _step in range(40):
        _key = _rng.choice(_keys)
        if _rng.random() < 0.5 and _key not in _model.order:
            _value = _rng.choice(_value_pool)
            _steps.append((True, _key, _value))
            _model.put(_key, _value)
        else:
            _steps.append((False, _key, None))
    expect_same(
        beside(_answers_of, LRUCache, _capacity, _steps),
        _answers_of(_ModelLRU, _capacity, _steps),
        "after a random sequence of put and get calls, get answered differently from an LRU "
        "cache (check which key is evicted, and that get and put both make a key the most "
        "recent)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · O(1) per operation, whatever the capacity (2 points)
# Runs the same number of `get`/`put` calls on a full cache of a few hundred entries and on one
# 16 times larger, then a stream of new keys that each evict one on a full cache of a few
# thousand entries and on one 8 times larger, next to the reference. An answer whose
# operations walk over the entries, or over deleted ones, loses these points; the message
# says what growth was seen.

# %% nbgrader="tests" grade_id="lru_cache_tests_complexity" points=2
"""LRUCache operations take about as long on a cache 16x larger as the reference's do."""
from advpy.checks import expect, expect_same

# (The timing itself is hidden: it runs when your instructor grades the notebook.)
cache = LRUCache(1000)
for key in range(10):
    cache.put(key, -key)
expect_same(
    [cache.get(k) for k in range(10)],
    [-k for k in range(10)],
    "a cache of 1,000 after putting 0..9",
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import Beside, measure_scaling


class _ReferenceLRU:
    def __init__(self, capacity):
        self.capacity = capacity
        self.entries = OrderedDict()

    def get(self, key):
        if key not in self.entries:
            return -1
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key, value):
        self.entries[key] = value
        self.entries.move_to_end(key)
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)


def _filled_then_replayed(make_cache, capacity, ops):
    # Runs where the answer runs (the reference's here): a cache filled to its capacity, then
    # the operations; what the gets answered. Timed as a whole, fill included.
    built = make_cache(capacity)
    get, put = built.get, built.put
    for number in range(capacity):
        put(("user", number), number)
    answers = []
    for is_get, key, value in ops:
        if is_get:
            answers.append(get(key))
        else:
            put(key, value)
    return answers


def _operations(capacity, seed, count=8000):
    # The same number of calls at every capacity, on a cache that is already full: reads of
    # present keys at random places in the recency order, misses, updates, and new keys that
    # evict. Keys are fresh equal tuples, so any search compares them one by one.
    rng = random.Random(seed)
    recency = OrderedDict.fromkeys(range(capacity))
    present = list(range(capacity))
    where = {number: number for number in present}
    fresh, ops = capacity, []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.1:
            ops.append((True, ("user", -1 - rng.randrange(10**6)), None))
            continue
        if roll < 0.75:
            number = present[rng.randrange(capacity)]
            recency.move_to_end(number)
            ops.append((roll < 0.55, ("user", number), number))
            continue
        number, fresh = fresh, fresh + 1
        recency[number] = None
        gone = recency.popitem(last=False)[0]
        slot, last = where.pop(gone), present.pop()
        if last != gone:
            present[slot], where[last] = last, slot
        where[number] = len(present)
        present.append(number)
        ops.append((False, ("user", number), number))
    return ops


_report = measure_scaling(
    Beside(_filled_then_replayed),
    lambda mine, capacity, ops: _filled_then_replayed(_ReferenceLRU, capacity, ops),
    lambda capacity, seed: (LRUCache, capacity, _operations(capacity, seed)),
    small=250,
    factor=16,
    name="LRUCache",
)
expect(
    _report.ok,
    f"LRUCache slows down as it holds more entries: with a capacity {_report.factor:.0f}x "
    f"larger and the same number of get/put calls, its time grew "
    f"{'more than ' if _report.timed_out else 'about '}{_report.growth:.0f}x (the reference "
    f"solution's: about {_report.reference_growth:.1f}x). Some operation walks over the "
    "entries (list.remove or index, a min over timestamps, a list of all keys); the target is "
    "O(1) per operation.",
)


def _new_keys(capacity, seed):
    # 4 new keys per entry of capacity: once the cache is full, every put evicts the least
    # recent key. Both the capacity and the number of puts grow with `capacity`.
    first = 10**9 + seed * 10 * capacity
    return [("user", first + offset) for offset in range(4 * capacity)]


_report = measure_scaling(
    Beside(_filled_then_replayed),
    lambda mine, capacity, ops: _filled_then_replayed(_ReferenceLRU, capacity, ops),
    lambda capacity, seed: (
        LRUCache,
        capacity,
        [(False, key, 0) for key in _new_keys(capacity, seed)] + [(True, ("user", 0), None)],
    ),
    small=2000,
    factor=8,
    name="LRUCache",
)
expect(
    _report.ok,
    f"LRUCache's evictions slow down as it holds more entries: a cache {_report.factor:.0f}x "
    f"larger, given {_report.factor:.0f}x as many new keys (each put evicts), took "
    f"{'more than ' if _report.timed_out else 'about '}{_report.growth:.0f}x as long (the "
    f"reference solution's: about {_report.reference_growth:.1f}x). Finding the least recent "
    "key must not walk over entries, nor over deleted ones: `next(iter(d))` on a plain dict "
    "walks past every key deleted since the dict last resized (see the text above the "
    "hints). The target is O(1) per operation.",
)
### END HIDDEN TESTS
