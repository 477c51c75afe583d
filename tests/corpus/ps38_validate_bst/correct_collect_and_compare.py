# A correct answer written differently: collects the in-order values with a stack of
# (node, expanded) pairs, then compares each value with the next.
def isValidBST(root):
    values = []
    todo = [(root, False)]
    while todo:
        node, expanded = todo.pop()
        if node is None:
            continue
        if expanded:
            values.append(node.val)
        else:
            todo.append((node.right, False))
            todo.append((node, True))
            todo.append((node.left, False))
    return all(values[i] < values[i + 1] for i in range(len(values) - 1))
