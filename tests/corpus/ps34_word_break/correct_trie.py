# A correct answer written differently: a trie of the words, walked from every reachable start.
def wordBreak(s, wordDict):
    trie = {}
    for word in wordDict:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[None] = True  # marks the end of a word
    reachable = [False] * (len(s) + 1)
    reachable[0] = True
    for start in range(len(s)):
        if not reachable[start]:
            continue
        node = trie
        for stop in range(start, len(s)):
            node = node.get(s[stop])
            if node is None:
                break
            if None in node:
                reachable[stop + 1] = True
    return reachable[len(s)]
