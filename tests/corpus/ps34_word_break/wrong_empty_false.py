# fails: word_break_tests_edge_cases
# Treats the empty string as impossible to split.
def wordBreak(s, wordDict):
    if not s:
        return False
    words = set(wordDict)
    can = [True] + [False] * len(s)
    for i in range(1, len(s) + 1):
        can[i] = any(can[j] and s[j:i] in words for j in range(i))
    return can[len(s)]
