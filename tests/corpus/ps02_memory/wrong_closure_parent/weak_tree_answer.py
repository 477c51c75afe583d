# Hides the parent in a closure: the lambda still holds the parent strongly, so it is a cycle.
class TreeNode:
    def __init__(self, name):
        self.name = name
        self.children = []
        self._get_parent = lambda: None

    @property
    def parent(self):
        return self._get_parent()

    def add_child(self, name):
        child = TreeNode(name)
        child._get_parent = lambda: self
        self.children.append(child)
        return child
