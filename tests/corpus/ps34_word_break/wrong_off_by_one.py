# fails: word_break_tests_examples, word_break_tests_edge_cases, word_break_tests_random
# Stops the table one position short and returns whether all but the last character split.
def wordBreak(s, wordDict):
    words = set(wordDict)
    can = [True] + [False] * len(s)
    for i in range(1, len(s)):
        can[i] = any(can[j] and s[j:i] in words for j in range(i))
    return can[len(s) - 1] if s else True
