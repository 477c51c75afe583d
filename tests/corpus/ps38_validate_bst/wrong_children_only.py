# fails: validate_bst_tests_examples, validate_bst_tests_edge_cases, validate_bst_tests_deep, validate_bst_tests_random
# Compares each node only with its own two children (iteratively): a grandchild on the
# wrong side of an ancestor goes unnoticed.
def isValidBST(root):
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if node.left is not None:
            if node.left.val >= node.val:
                return False
            stack.append(node.left)
        if node.right is not None:
            if node.right.val <= node.val:
                return False
            stack.append(node.right)
    return True
