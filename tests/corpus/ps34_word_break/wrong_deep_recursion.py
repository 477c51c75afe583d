# fails: word_break_tests_complexity
# Memoized recursion: polynomial, but one call deeper per word, so 1,000 characters of "a"
# with the word "a" hits Python's recursion limit.
from functools import cache


def wordBreak(s, wordDict):
    words = set(wordDict)

    @cache
    def splits_from(start):
        if start == len(s):
            return True
        return any(
            s[start:stop] in words and splits_from(stop) for stop in range(start + 1, len(s) + 1)
        )

    return splits_from(0)
