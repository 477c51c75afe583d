# Makes every link weak, children included: a child nobody else holds disappears.
class TreeNode:
    def __init__(self, name):
        self.name = name
        self._parent = None
        self._children = []

    @property
    def parent(self):
        return None if self._parent is None else self._parent()

    @property
    def children(self):
        return [c for c in (r() for r in self._children) if c is not None]

    def add_child(self, name):
        child = TreeNode(name)
        child._parent = weakref.ref(self)
        self._children.append(weakref.ref(child))
        return child
