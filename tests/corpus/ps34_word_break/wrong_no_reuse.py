# fails: word_break_tests_examples, word_break_tests_edge_cases, word_break_tests_random
# Uses each word at most once (removes it from the pool after using it).
def wordBreak(s, wordDict):
    def search(rest, pool):
        if rest == "":
            return True
        for word in pool:
            if rest.startswith(word):
                remaining = list(pool)
                remaining.remove(word)
                if search(rest[len(word) :], remaining):
                    return True
        return False

    return search(s, list(wordDict))
