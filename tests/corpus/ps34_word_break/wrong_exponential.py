# fails: word_break_tests_complexity
# Right answers, too slow: plain recursion without memory, exponential on hard inputs.
def wordBreak(s, wordDict):
    if s == "":
        return True
    for word in wordDict:
        if s.startswith(word) and wordBreak(s[len(word) :], wordDict):
            return True
    return False
