# A correct answer written differently: an in-order walk with an explicit stack; the values
# must come out strictly increasing (a flag, not -inf, marks "no previous value yet").
def isValidBST(root):
    stack = []
    node = root
    have_previous = False
    previous = None
    while stack or node is not None:
        while node is not None:
            stack.append(node)
            node = node.left
        node = stack.pop()
        if have_previous and node.val <= previous:
            return False
        previous = node.val
        have_previous = True
        node = node.right
    return True
