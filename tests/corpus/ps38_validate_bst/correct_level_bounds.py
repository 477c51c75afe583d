# A correct answer written differently: a breadth-first walk (deque) carrying each node's
# open range, with None for "no bound".
from collections import deque


def isValidBST(root):
    queue = deque([(root, None, None)])
    while queue:
        node, low, high = queue.popleft()
        if node is None:
            continue
        value = node.val
        if low is not None and not low < value:
            return False
        if high is not None and not value < high:
            return False
        queue.append((node.left, low, value))
        queue.append((node.right, value, high))
    return True
