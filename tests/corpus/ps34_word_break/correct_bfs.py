# A correct answer written differently: breadth-first search over positions, each visited once.
from collections import deque


def wordBreak(s, wordDict):
    words = set(wordDict)
    longest = max(map(len, words), default=0)
    seen = {0}
    queue = deque([0])
    while queue:
        start = queue.popleft()
        if start == len(s):
            return True
        for stop in range(start + 1, min(len(s), start + longest) + 1):
            if stop not in seen and s[start:stop] in words:
                seen.add(stop)
                queue.append(stop)
    return False
