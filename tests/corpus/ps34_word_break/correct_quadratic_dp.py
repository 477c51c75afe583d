# A correct, polynomial answer written like the notes' sketch: tries every earlier cut (O(n^2)
# slices); slower than needed, but polynomial, which is what the contract asks.
def wordBreak(s, wordDict):
    vocabulary = frozenset(wordDict)
    ok = [True]
    for i in range(1, len(s) + 1):
        ok.append(any(ok[j] and s[j:i] in vocabulary for j in range(i)))
    return ok[-1]
