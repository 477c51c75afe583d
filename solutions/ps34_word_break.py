# %% [markdown]
# # ps34 · Word break (10 points)
#
# A search box receives `"newyorkpizza"` typed without spaces; a tokenizer must decide whether
# a string is made only of known tokens; a spam filter asks whether a domain name is a run of
# dictionary words. All of them ask the same question: can this string be cut into pieces
# that are all words from a dictionary?
#
# **How this notebook is graded.** You write one function, `wordBreak`, in the answer cell.
# The test cells below check it; each shows its points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run the
# visible ones): passing the visible asserts is necessary, not
# sufficient.
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the notebook uses.
import random

# %% [markdown]
# ## The problem
#
# `wordBreak(s, wordDict)` takes a string `s` and a list of words `wordDict`. It returns
# `True` when `s` can be cut into one or more pieces that are all words of `wordDict`, and
# `False` otherwise. A word may be used any number of times. The empty string needs no words
# at all, so `wordBreak("", wordDict)` is `True`.
#
# | call | result | why |
# |---|---|---|
# | `wordBreak("leetcode", ["leet", "code"])` | `True` | `"leet" + "code"` |
# | `wordBreak("applepenapple", ["apple", "pen"])` | `True` | words can be used again |
# | `wordBreak("catsandog", ["cats", "dog", "sand", "and", "cat"])` | `False` | `"og"` is left |
# | `wordBreak("", ["a"])` | `True` | nothing left to cut |
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - the result is exactly `True` or `False` (a `bool`, not `1`, `0` or a list);
# - words are non-empty strings, each usable any number of times; `wordDict` may hold
#   duplicates; matching is exact (case-sensitive, any Unicode);
# - `wordBreak("", wordDict)` is `True`, even when `wordDict` is empty;
# - **polynomial time**: strings of 1,000 characters with dictionaries built to be as hard as
#   possible must be answered quickly.
#
# ### Why polynomial, and how it is checked
# The natural idea, "try every word that fits at the front, then solve the rest", is correct
# but can take **exponential** time. Take `s = "aaa…ab"` (n `a`s, then a `b`) and the words
# `"a"`, `"aa"`, `"aaa"`: every way of cutting the `a`s into pieces is tried before the final
# `b` turns out not to fit, and there are about 1.84ⁿ such ways. Forty characters already mean
# tens of billions of attempts; a thousand would take longer than the age of the universe.
#
# The way out: whether the rest of the string can be split depends only on **where the rest
# starts**, so there are just n + 1 different questions. Answer each one once, from the
# shortest prefix up (dynamic programming): `can[i]` says whether the first `i` characters
# can be split, and `can[i]` is true when some word `w` ends at `i` (`s[i - len(w):i] == w`)
# and `can[i - len(w)]` is true. With L the length of the longest word, that is at most
# n · L short comparisons.
#
# The check times your function on hard strings of a dozen characters and of four times as
# many, next to the reference solution: exponential growth is stopped early and loses the
# points, while any polynomial growth (up to about n³) passes. Then it answers several hard
# 1,000-character cases. A *recursive* solution with memoization is polynomial, but it goes
# one call deeper for each word it cuts off: `"a" * 1000` with the word `"a"` needs 1,000
# nested calls, and Python stops at about 1,000 with a `RecursionError`. Fill the table with
# a loop instead.
#
# ### Where the source notes' sketch falls short
# The sketch in the course notes is a correct dynamic program, but for each end position `i`
# it tries **every** earlier cut `j` and builds the slice `s[j:i]`. That is up to n²/2 slices,
# each copying up to n characters before it can be looked up: O(n³) character copies in the
# worst case, which happens when many positions can be reached but no word ends at `i` (the
# `break` never fires). No word is longer than L, so only the cuts with `i - j <= L` can
# match: loop over the word **lengths** instead (or over the words, with
# `s.startswith(word, j)`), and the work drops to O(n · L) slices of at most L characters.
# For 1,000 characters and words of up to 10 letters, that is about 10,000 short slices
# instead of up to 500,000 long ones.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Suppose you already knew, for every prefix of `s` shorter than `i` characters, whether it
# can be split into words. How would you decide it for the prefix of length `i`?
# </details>
#
# <details><summary>Hint 2</summary>
#
# Keep a list `can` of `len(s) + 1` booleans, where `can[i]` means "`s[:i]` can be split".
# `can[0]` is `True` (the empty prefix). The prefix of length `i` can be split exactly when
# some word `w` of length `k <= i` ends there (`s[i - k:i] in words`) and `can[i - k]` is
# `True`. Put the words in a `set` so that looking one up is O(1).
# </details>
#
# <details><summary>Hint 3 (nearly the answer)</summary>
#
# `words = set(wordDict)`, `lengths = {len(w) for w in words}`,
# `can = [True] + [False] * len(s)`. For `i` from 1 to `len(s)`: set `can[i]` to `True` if,
# for some `k` in `lengths` with `k <= i`, `can[i - k]` is `True` and `s[i - k:i]` is in
# `words`. Return `can[len(s)]`. No recursion needed.
# </details>


# %% nbgrader="solution" grade_id="word_break_answer"
def wordBreak(s, wordDict):
    """Return True when s is a concatenation of words of wordDict (each reusable), else
    False; the empty string gives True."""
    ### BEGIN SOLUTION
    words = set(wordDict)
    lengths = sorted({len(word) for word in words})
    reachable = [True] + [False] * len(s)  # reachable[i]: s[:i] splits into words
    for end in range(1, len(s) + 1):
        for size in lengths:
            if size > end:
                break
            if reachable[end - size] and s[end - size : end] in words:
                reachable[end] = True
                break
    return reachable[len(s)]
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
(
    wordBreak("leetcode", ["leet", "code"]),
    wordBreak("catsandog", ["cats", "dog", "sand", "and", "cat"]),
)

# %% [markdown]
# ## Tests
#
# ### Check 1 · the worked examples (2 points)

# %% nbgrader="tests" grade_id="word_break_tests_examples" points=2
"""wordBreak gives the worked examples' results, as True or False."""
from advpy.checks import expect_same

expect_same(wordBreak("leetcode", ["leet", "code"]), True, 'wordBreak("leetcode", ...)', show=True)
expect_same(
    wordBreak("applepenapple", ["apple", "pen"]), True, 'wordBreak("applepenapple", ...)', show=True
)
expect_same(
    wordBreak("catsandog", ["cats", "dog", "sand", "and", "cat"]),
    False,
    'wordBreak("catsandog", ...)',
    show=True,
)
### BEGIN HIDDEN TESTS
expect_same(
    wordBreak("goalspecial", ["go", "goal", "goals", "special"]),
    True,
    "taking the longest (or the shortest) word that fits is not enough: try every word",
)
expect_same(wordBreak("cars", ["car", "ca", "rs"]), True, "a word that fits first may lead nowhere")
expect_same(
    wordBreak("pineapplepenapple", ["apple", "pen", "applepen", "pine", "pineapple"]),
    True,
    "a longer example with several ways to cut gave a wrong answer",
)
expect_same(wordBreak("aaaaaaa", ["aaaa", "aaa"]), True, "words of different lengths combine")
expect_same(
    wordBreak("catsanddogs", ["cats", "dog", "sand", "and", "cat"]),
    False,
    "a string with a leftover that is no word must give False",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check 2 · edge cases (2 points)
# The empty string, an empty dictionary, reused words, words longer than the string, exact
# (case-sensitive) matching, Unicode, duplicate words, and a result that is a real `bool`.

# %% nbgrader="tests" grade_id="word_break_tests_edge_cases" points=2
"""Edge cases: empty string, empty dictionary, reuse, long words, case, Unicode, duplicates."""
from advpy.checks import expect_same

expect_same(wordBreak("", ["a"]), True, 'wordBreak("", ["a"])', show=True)
expect_same(wordBreak("a", []), False, 'wordBreak("a", [])', show=True)
expect_same(wordBreak("aaaa", ["a"]), True, 'wordBreak("aaaa", ["a"]): reuse', show=True)
### BEGIN HIDDEN TESTS
expect_same(wordBreak("", []), True, "the empty string needs no words, even from an empty list")
expect_same(wordBreak("ab", ["abc"]), False, "a word longer than the string cannot fit")
expect_same(wordBreak("abc", ["abc"]), True, "a string that is one word must give True")
expect_same(wordBreak("Apple", ["apple"]), False, "matching must be case-sensitive")
expect_same(wordBreak("日本語", ["日本", "語"]), True, "Unicode words must match")
expect_same(wordBreak("naïveté", ["na", "ïve", "té"]), True, "accented letters are characters")
expect_same(wordBreak("abab", ["ab", "ab"]), True, "a word listed twice must still work")
expect_same(wordBreak("a b", ["a", " b"]), True, "spaces are characters like any other")
expect_same(wordBreak("ba", ["ab"]), False, "a word must match in order, not as a set of letters")
expect_same(wordBreak("aab", ["a", "b", "ab"]), True, "short words can cover the whole string")
### END HIDDEN TESTS

# %% [markdown]
# ### Check 3 · many random inputs against a reference (3 points)

# %% nbgrader="tests" grade_id="word_break_tests_random" points=3
"""wordBreak agrees with a reference solution on hundreds of seeded random inputs."""
from advpy.checks import expect_same

expect_same(
    wordBreak("abba", ["ab", "ba", "b"]), True, 'wordBreak("abba", ["ab", "ba", "b"])', show=True
)
### BEGIN HIDDEN TESTS
_rng = random.Random(34)


def _reference_word_break(text, vocabulary):
    vocabulary = set(vocabulary)
    sizes = {len(word) for word in vocabulary}
    splits = [True] + [False] * len(text)
    for stop in range(1, len(text) + 1):
        splits[stop] = any(
            k <= stop and splits[stop - k] and text[stop - k : stop] in vocabulary for k in sizes
        )
    return splits[len(text)]


for _case in range(400):
    _letters = _rng.choice(("ab", "abc", "aab"))
    _vocabulary = [
        "".join(_rng.choice(_letters) for _ in range(_rng.randint(1, 5)))
        for _ in range(_rng.randint(1, 6))
    ]
    if _rng.random() < 0.5:
        _text = "".join(_rng.choice(_vocabulary) for _ in range(_rng.randint(0, 5)))[:16]
    else:
        _text = "".join(_rng.choice(_letters) for _ in range(_rng.randint(0, 14)))
    expect_same(
        wordBreak(_text, list(_vocabulary)),
        _reference_word_break(_text, _vocabulary),
        "on a random string and dictionary the answer differs from the reference "
        "(check reuse of words, the empty string, and strings with no valid split)",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check 4 · polynomial time, up to 1,000 characters (3 points)
# Times your function on hard strings of a dozen characters and of four times as many, next
# to the reference: exponential growth is stopped early and loses these points. Then it
# answers several hard strings of 1,000 characters.

# %% nbgrader="tests" grade_id="word_break_tests_complexity" points=3
"""wordBreak is polynomial, not exponential, on hard inputs, and answers 1,000-character ones."""
from advpy.checks import expect_same

expect_same(
    wordBreak("aaaaaaaaaab", ["a", "aa", "aaa"]),
    False,
    'wordBreak("aaaaaaaaaab", ["a", "aa", "aaa"])',
    show=True,
)
### BEGIN HIDDEN TESTS
from advpy.checks import TimeLimitExceeded, expect, measure_scaling, time_limit


def _reference_splits(text, vocabulary):
    vocabulary = set(vocabulary)
    sizes = sorted({len(word) for word in vocabulary})
    splits = [True] + [False] * len(text)
    for stop in range(1, len(text) + 1):
        for k in sizes:
            if k > stop:
                break
            if splits[stop - k] and text[stop - k : stop] in vocabulary:
                splits[stop] = True
                break
    return splits[len(text)]


def _hard_case(size, seed):
    # Runs of "a" around one "b" that no word can cover: the answer is False, but every way
    # of cutting the runs into words has to be ruled out. Every letter occurs in some word and
    # the string starts and ends like the words do, so no quick test gives the answer away.
    words = ["a", "aa", "aaa", "aaaa", "aaaaa", "bab"]
    random.Random(seed).shuffle(words)
    half = size // 2
    return ("a" * half + "b" + "a" * (size - half - 1), words)


_report = measure_scaling(
    wordBreak, _reference_splits, _hard_case, small=12, factor=4, tolerance=30, name="wordBreak"
)
expect(
    _report.ok,
    f"wordBreak takes exponential time: on a hard string {_report.factor:.0f}x longer it ran "
    f"{'more than ' if _report.timed_out else 'about '}{_report.growth:.0f}x longer (the "
    f"reference solution: about {_report.reference_growth:.0f}x). Trying every way to cut the "
    "string solves the same sub-problems again and again: remember, for each position, "
    "whether the string up to there can be split.",
)

_rng = random.Random(1000)
_vocabulary = sorted(
    {"".join(_rng.choice("ab") for _ in range(_rng.randint(1, 12))) for _ in range(60)}
)
_text = ""
while len(_text) < 990:
    _text += _rng.choice(_vocabulary)
_long_cases = [
    ("a" * 1000, ["a"]),
    ("a" * 999 + "b", ["a", "aa", "aaa", "aaaa"]),
    ("a" * 499 + "b" + "a" * 500, ["a", "aa", "aaa", "aaaaa", "bab"]),
    ("ab" * 500, ["a", "b", "ab", "ba"]),
    ("a" * 1000, ["a" * 7, "a" * 11, "a" * 13]),
    ("a" * 997, ["a" * 10, "a" * 20, "a" * 40]),
    (_text, _vocabulary),
    (_text[:500] + "b" + _text[500:], _vocabulary),
]
try:
    with time_limit(60):
        for _text, _words in _long_cases:
            expect_same(
                wordBreak(_text, list(_words)),
                _reference_splits(_text, _words),
                "on a hard 1,000-character string the answer differs from the reference",
            )
except RecursionError:
    raise AssertionError(
        "wordBreak hit Python's recursion limit on a 1,000-character string: a recursive "
        "solution goes one call deeper per word cut off. Fill a table with a loop instead."
    ) from None
except TimeLimitExceeded:
    raise AssertionError(
        "wordBreak took far too long on 1,000-character strings (more than a minute for a few "
        "of them): look for work repeated for the same position."
    ) from None
### END HIDDEN TESTS
