# fails: validate_bst_tests_deep
# Right answers, too slow: at every node it recomputes the largest value on the left and the
# smallest on the right by walking those whole subtrees (O(n^2) on a chain).
def isValidBST(root):
    def extreme(node, pick):
        best = None
        stack = [node] if node is not None else []
        while stack:
            current = stack.pop()
            best = current.val if best is None else pick(best, current.val)
            stack.extend(c for c in (current.left, current.right) if c is not None)
        return best

    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        left_max = extreme(node.left, max)
        right_min = extreme(node.right, min)
        if left_max is not None and left_max >= node.val:
            return False
        if right_min is not None and right_min <= node.val:
            return False
        stack.extend(c for c in (node.left, node.right) if c is not None)
    return True
