# A correct answer written differently: pushes reachability forward with str.startswith.
def wordBreak(s, wordDict):
    words = list(dict.fromkeys(wordDict))
    reach = [False] * (len(s) + 1)
    reach[0] = True
    for start in range(len(s)):
        if not reach[start]:
            continue
        for word in words:
            if s.startswith(word, start):
                reach[start + len(word)] = True
    return reach[len(s)]
