# fails: word_break_tests_examples, word_break_tests_random
# Greedy: always takes the longest word that fits, never goes back.
def wordBreak(s, wordDict):
    words = sorted(set(wordDict), key=len, reverse=True)
    i = 0
    while i < len(s):
        for word in words:
            if s.startswith(word, i):
                i += len(word)
                break
        else:
            return False
    return True
