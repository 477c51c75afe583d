# A weak parent link behind a property, as in the reference.
class TreeNode:
    def __init__(self, name):
        self.name = name
        self.children = []
        self._parent_ref = None

    @property
    def parent(self):
        return None if self._parent_ref is None else self._parent_ref()

    def add_child(self, name):
        child = TreeNode(name)
        child._parent_ref = weakref.ref(self)
        self.children.append(child)
        return child
