# fails: validate_bst_tests_examples
# Treats the empty tree as invalid.
def isValidBST(root):
    if root is None:
        return False
    stack = [(root, None, None)]
    while stack:
        node, low, high = stack.pop()
        if (low is not None and node.val <= low) or (high is not None and node.val >= high):
            return False
        if node.left is not None:
            stack.append((node.left, low, node.val))
        if node.right is not None:
            stack.append((node.right, node.val, high))
    return True
