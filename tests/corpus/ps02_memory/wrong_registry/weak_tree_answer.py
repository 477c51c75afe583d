# Weak parent links, but every node is also put in a global registry "for lookups": nothing
# can ever be freed.
ALL_NODES = []


class TreeNode:
    def __init__(self, name):
        self.name = name
        self.children = []
        self._parent = None
        ALL_NODES.append(self)

    @property
    def parent(self):
        return None if self._parent is None else self._parent()

    def add_child(self, name):
        child = TreeNode(name)
        child._parent = weakref.ref(self)
        self.children.append(child)
        return child
