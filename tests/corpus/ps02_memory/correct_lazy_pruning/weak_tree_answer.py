# A correct answer written differently: every node stores a callable parent link; a root's
# link is a lambda that returns None.
class TreeNode:
    def __init__(self, name):
        self.name = name
        self.children = list()
        self._link = lambda: None

    @property
    def parent(self):
        return self._link()

    def add_child(self, name):
        self.children.append(TreeNode(name))
        self.children[-1]._link = weakref.ref(self)
        return self.children[-1]
