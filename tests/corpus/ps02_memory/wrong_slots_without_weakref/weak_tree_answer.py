# __slots__ to save memory, but without "__weakref__": nodes cannot be weakly referenced.
class TreeNode:
    __slots__ = ("name", "children", "_parent")

    def __init__(self, name):
        self.name = name
        self.children = []
        self._parent = None

    @property
    def parent(self):
        return None if self._parent is None else self._parent()

    def add_child(self, name):
        child = TreeNode(name)
        child._parent = weakref.ref(self)
        self.children.append(child)
        return child
