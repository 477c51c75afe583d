# fails: validate_bst_tests_edge_cases, validate_bst_tests_deep
# The textbook recursion with infinite sentinels: too deep for a 10,000-level chain, and a
# node holding -inf or inf is rejected.
def isValidBST(root, low=float("-inf"), high=float("inf")):
    if not root:
        return True
    if not (low < root.val < high):
        return False
    return isValidBST(root.left, low, root.val) and isValidBST(root.right, root.val, high)
