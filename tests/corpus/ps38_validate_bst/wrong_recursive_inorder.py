# fails: validate_bst_tests_deep
# Right answers, but collects the in-order values recursively: a 10,000-level chain
# exceeds Python's recursion limit.
def isValidBST(root):
    values = []

    def walk(node):
        if node is not None:
            walk(node.left)
            values.append(node.val)
            walk(node.right)

    walk(root)
    return all(values[i] < values[i + 1] for i in range(len(values) - 1))
