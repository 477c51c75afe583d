# A plain attribute for the parent: every parent-child pair is a cycle the collector must free.
class TreeNode:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []

    def add_child(self, name):
        child = TreeNode(name, parent=self)
        self.children.append(child)
        return child
