# %% [markdown]
# # ps35 · Longest substring without repeating characters (10 points)
#
# A fraud detector looks at the stream of device IDs a card is used from and wants the
# longest stretch in which no device appears twice; a password checker wants the longest run
# of distinct characters; a log analyser, the longest run of requests from distinct users. All
# are the same question on a sequence: how long is the longest stretch without a repeat?
#
# **How this notebook is graded.** You write one function, `lengthOfLongestSubstring`, in the
# answer cell. The test cells below check it; each shows its points. Every test cell also
# holds **hidden tests** that run only when your instructor grades the notebook (Validate and `advpy
# check` run the visible ones): passing the visible asserts is
# necessary, not sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random

# %% [markdown]
# ## The problem
#
# `lengthOfLongestSubstring(s)` returns the length of the longest **substring** of `s` (a run
# of consecutive characters) in which no character occurs twice. A character is one element
# of the Python string, that is one Unicode code point: letters, digits, spaces, accents,
# Chinese characters and emoji all count, and `"a"` and `"A"` are different characters.
#
# | call | result | why |
# |---|---|---|
# | `lengthOfLongestSubstring("abcabcbb")` | `3` | `"abc"` |
# | `lengthOfLongestSubstring("bbbbb")` | `1` | `"b"` |
# | `lengthOfLongestSubstring("pwwkew")` | `3` | `"wke"` (`"pwke"` is not consecutive) |
# | `lengthOfLongestSubstring("日本日本語")` | `3` | `"日本語"` |
# | `lengthOfLongestSubstring("")` | `0` | no characters at all |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - the result is a plain `int`: the length of the longest substring without a repeated
#   character, `0` for the empty string;
# - any Unicode string, compared code point by code point;
# - time **O(n)** for a string of n characters, also when it uses thousands of different
#   characters.
#
# ### Why O(n), and why a large alphabet matters
# Think of a **window** `s[left:right + 1]` that never holds a repeat, and slide it: move
# `right` one step at a time; when `s[right]` already occurs in the window, move `left` just
# past that earlier occurrence. Each index enters the window once and leaves it at most once,
# so the two ends make at most 2n moves in total: O(n), however many different characters
# there are. Remembering the last index of every character in a dict makes "where is the
# earlier occurrence?" a single O(1) lookup.
#
# The alphabet matters for answers that *look inside* the window. With lowercase letters no
# window is longer than 26 characters, so searching the window (`ch in s[left:right]`,
# `s[left:right].find(ch)`) or restarting the scan at every position looks fast. Real data
# need not be like that: in Chinese text, or in a sequence of user or device IDs, a window can
# hold thousands of different symbols, and such answers become O(n × window), up to O(n²). The
# complexity check therefore times your function on two strings of the **same length** (64,000
# characters): one whose repeat-free stretches are short, and one where they are tens of
# thousands of characters long. An O(n) answer takes about as long on both, and the check
# compares your growth with the reference solution's in the same run.
#
# ### The source notes' sketch: right, and O(n)
# The sketch in the course notes keeps the window's characters in a `set` and, when the next
# character is already there, removes characters from the left **one by one** in a `while`
# loop. A loop inside a loop looks quadratic, but it is not: over the whole run, each
# character is added to the set once and removed at most once, so the inner loop runs at most
# n times **in total**, not n times per step (an *amortized* argument). It stays O(n) with any
# alphabet, because it never searches the window: it only asks the set, in O(1). Jumping
# `left` directly with a dict of last positions saves those single steps but is also O(n).

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Keep a window with no repeated character and slide it to the right one character at a time.
# When the new character is already inside the window, where must the window start now?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Remember in a dict where each character was **last seen**. When the new character was last
# seen at index `j` and `j >= left` (inside the window), the window must now start at `j + 1`.
# If `j < left` that occurrence is already outside the window: do not move `left` back
# (try `"abba"`).
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `last = {}`, `left = best = 0`. For `right, ch in enumerate(s)`: if `ch in last` and
# `last[ch] >= left`, set `left = last[ch] + 1`; then `last[ch] = right` and
# `best = max(best, right - left + 1)`. Return `best`. Never slice or search the window.
# </details>


# %% nbgrader="solution" grade_id="longest_substring_answer"
def lengthOfLongestSubstring(s):
    """Return the length of the longest run of consecutive characters of s in which no
    character occurs twice (0 for the empty string)."""
    ### BEGIN SOLUTION
    last_seen = {}
    start = best = 0
    for index, char in enumerate(s):
        previous = last_seen.get(char, -1)
        if previous >= start:
            start = previous + 1
        last_seen[char] = index
        best = max(best, index - start + 1)
    return best
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
lengthOfLongestSubstring("abcabcbb"), lengthOfLongestSubstring("pwwkew")

# %% [markdown]
# ## Tests
#
# ### Check 1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="longest_substring_tests_examples" points=2
"""lengthOfLongestSubstring gives the worked examples' results, as plain ints."""
from advpy.checks import expect_same

expect_same(
    lengthOfLongestSubstring("abcabcbb"), 3, 'lengthOfLongestSubstring("abcabcbb")', show=True
)
expect_same(lengthOfLongestSubstring("bbbbb"), 1, 'lengthOfLongestSubstring("bbbbb")', show=True)
expect_same(lengthOfLongestSubstring("pwwkew"), 3, 'lengthOfLongestSubstring("pwwkew")', show=True)
expect_same(
    lengthOfLongestSubstring("日本日本語"), 3, 'lengthOfLongestSubstring("日本日本語")', show=True
)
### BEGIN HIDDEN TESTS
expect_same(
    lengthOfLongestSubstring("dvdf"),
    3,
    "after a repeat, the window must restart just after the earlier occurrence, not at the repeat",
)
expect_same(
    lengthOfLongestSubstring("abba"),
    2,
    "the window's start must never move back to a repeat that is already outside it",
)
expect_same(lengthOfLongestSubstring("tmmzuxt"), 5, "a longer example gave a wrong length")
expect_same(lengthOfLongestSubstring("au"), 2, "a string without repeats is its own answer")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (3 points)
# The empty string, one character, a single repeated character, spaces and case, accents,
# emoji, combining marks, control characters, and a long run of thousands of different
# characters.

# %% nbgrader="tests" grade_id="longest_substring_tests_edge_cases" points=3
"""Edge cases: empty, one character, repeats, case, spaces, any Unicode, long distinct runs."""
from advpy.checks import expect_same

expect_same(lengthOfLongestSubstring(""), 0, 'lengthOfLongestSubstring("")', show=True)
expect_same(lengthOfLongestSubstring(" "), 1, 'lengthOfLongestSubstring(" ")', show=True)
expect_same(lengthOfLongestSubstring("aA"), 2, 'lengthOfLongestSubstring("aA")', show=True)
### BEGIN HIDDEN TESTS
expect_same(lengthOfLongestSubstring("z"), 1, "a single character must give 1")
expect_same(lengthOfLongestSubstring("aaaa"), 1, "a single repeated character must give 1")
expect_same(lengthOfLongestSubstring("a b c"), 3, "spaces are characters like any other")
expect_same(lengthOfLongestSubstring("ünïcödé"), 7, "accented letters are characters")
expect_same(
    lengthOfLongestSubstring("\U0001f600\U0001f603\U0001f600\U0001f604"),
    3,
    "emoji (characters beyond U+FFFF) must count as one character each",
)
expect_same(
    lengthOfLongestSubstring("e\u0301e\u0301"),
    2,
    "a combining accent is a character of its own",
)
expect_same(lengthOfLongestSubstring("\x00\t\x00"), 2, "control characters are characters too")
_distinct = "".join(chr(0x4E00 + i) for i in range(5000))
expect_same(
    lengthOfLongestSubstring(_distinct + _distinct[:10]),
    5000,
    "a run of thousands of different characters must be measured in full",
)
expect_same(lengthOfLongestSubstring("abcdea"), 5, "a repeat at the very end must still count")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · many random strings against a reference (3 points)
# Hundreds of random ASCII strings (letters, digits, punctuation, spaces). The empty string
# and characters beyond ASCII are Check 2's.

# %% nbgrader="tests" grade_id="longest_substring_tests_random" points=3
"""lengthOfLongestSubstring agrees with a reference on hundreds of seeded random ASCII strings."""
from advpy.checks import expect_same

expect_same(lengthOfLongestSubstring("xyxyz"), 3, 'lengthOfLongestSubstring("xyxyz")', show=True)
### BEGIN HIDDEN TESTS
_rng = random.Random(35)


def _reference_longest(text):
    newest = {}
    low = longest = 0
    for position, symbol in enumerate(text):
        if newest.get(symbol, -1) >= low:
            low = newest[symbol] + 1
        newest[symbol] = position
        longest = max(longest, position - low + 1)
    return longest


_printable = [chr(point) for point in range(0x20, 0x7F)]
for _case in range(400):
    _alphabet = _rng.sample(_printable, _rng.randint(1, 30))
    _text = "".join(_rng.choice(_alphabet) for _ in range(_rng.randint(1, 60)))
    expect_same(
        lengthOfLongestSubstring(_text),
        _reference_longest(_text),
        "on a random string the length differs from the reference "
        "(check where the window restarts after a repeat)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · O(n), also with a large alphabet (2 points)
# Times your function on two strings of the same length, one with short repeat-free stretches
# and one with stretches tens of thousands of characters long, next to the reference. An
# answer that searches or slices the window, or restarts at every position, loses these
# points; the message says what growth was seen.

# %% nbgrader="tests" grade_id="longest_substring_tests_complexity" points=2
"""lengthOfLongestSubstring takes about as long, relative to the reference, when windows grow."""
from advpy.checks import expect, time_limit

# The growth measurement is hidden: it runs when your instructor grades. Visible here: a
# string of 104,000 characters is answered, in well under the time the hidden part allows.
with time_limit(30):
    long_answer = lengthOfLongestSubstring("abcdefghijklmnopqrstuvwxyz" * 4000)
expect(long_answer is not None, "lengthOfLongestSubstring returned None: return the length")
### BEGIN HIDDEN TESTS
from advpy.checks import measure_scaling

_LENGTH = 64_000
_SURROGATES = 0xE000 - 0xD800


def _window_reference(text):
    newest = {}
    low = longest = 0
    for position, symbol in enumerate(text):
        if newest.get(symbol, -1) >= low:
            low = newest[symbol] + 1
        newest[symbol] = position
        longest = max(longest, position - low + 1)
    return longest


def _stretches(width, seed):
    # _LENGTH characters: `width` distinct code points from the whole Unicode range, then the
    # same ones backwards, and so on. Every repeat-free stretch is about `width` long, and
    # every starting position has a long stretch ahead of it, so nothing can stop early.
    rng = random.Random(seed)
    points = rng.sample(range(0x80, 0x110000 - _SURROGATES), width)
    block = "".join(chr(p + _SURROGATES if p >= 0xD800 else p) for p in points)
    pair = block + block[::-1]
    return ((pair * (_LENGTH // len(pair) + 1))[:_LENGTH],)


_report = measure_scaling(
    lengthOfLongestSubstring,
    _window_reference,
    _stretches,
    small=16,
    factor=2000,
    name="lengthOfLongestSubstring",
)
expect(
    _report.ok,
    "lengthOfLongestSubstring slows down when repeat-free stretches get long: on two strings "
    f"of the same length, the one whose stretches are {_report.factor:.0f}x longer took "
    f"{'more than ' if _report.timed_out else 'about '}{_report.growth:.0f}x as long (the "
    f"reference solution: about {_report.reference_growth:.1f}x). Something in your loop "
    "costs time in proportion to the window (searching or slicing it with in, find or index, "
    "or restarting the scan at every position); the target is O(n).",
)
### END HIDDEN TESTS
