# A weakref.proxy as the parent: weak, but a proxy is not the parent itself, and a dead proxy
# is not None.
class TreeNode:
    def __init__(self, name):
        self.name = name
        self.children = []
        self.parent = None

    def add_child(self, name):
        child = TreeNode(name)
        child.parent = weakref.proxy(self)
        self.children.append(child)
        return child
