# fails: validate_bst_tests_examples, validate_bst_tests_edge_cases
# Uses <= where < is needed: equal values pass as if duplicates were allowed.
def isValidBST(root):
    stack = [(root, None, None)]
    while stack:
        node, low, high = stack.pop()
        if node is None:
            continue
        if (low is not None and node.val < low) or (high is not None and node.val > high):
            return False
        stack.append((node.left, low, node.val))
        stack.append((node.right, node.val, high))
    return True
