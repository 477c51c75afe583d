# fails: word_break_tests_examples, word_break_tests_random
# Deletes every occurrence of each word in turn and checks that nothing is left.
def wordBreak(s, wordDict):
    for word in sorted(wordDict, key=len, reverse=True):
        s = s.replace(word, "")
    return s == ""
