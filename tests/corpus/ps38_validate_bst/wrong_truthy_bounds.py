# fails: validate_bst_tests_edge_cases
# Tests the bounds for truth ("if low and ..."): a bound of 0 is skipped.
def isValidBST(root):
    stack = [(root, None, None)]
    while stack:
        node, low, high = stack.pop()
        if node is None:
            continue
        if low and node.val <= low:
            return False
        if high and node.val >= high:
            return False
        stack.append((node.left, low, node.val))
        stack.append((node.right, node.val, high))
    return True
