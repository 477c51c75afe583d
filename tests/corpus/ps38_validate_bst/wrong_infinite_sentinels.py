# fails: validate_bst_tests_edge_cases
# Iterative, but -inf and inf stand for "no bound", so nodes holding -inf or inf fail.
def isValidBST(root):
    stack = [(root, float("-inf"), float("inf"))]
    while stack:
        node, low, high = stack.pop()
        if node is None:
            continue
        if not low < node.val < high:
            return False
        stack.append((node.left, low, node.val))
        stack.append((node.right, node.val, high))
    return True
