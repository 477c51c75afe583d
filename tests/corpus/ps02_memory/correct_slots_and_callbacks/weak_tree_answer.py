# A correct answer written differently: __slots__ (with "__weakref__"), and a parent getter
# that is either a weak reference or a function that returns None.
def _no_parent():
    return None


class TreeNode:
    __slots__ = ("name", "children", "_up", "__weakref__")

    def __init__(self, name):
        self.name = name
        self.children = []
        self._up = _no_parent

    @property
    def parent(self):
        return self._up()

    def add_child(self, name):
        node = TreeNode(name)
        node._up = weakref.ref(self)
        self.children += [node]
        return node
