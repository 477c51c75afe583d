# Believes a function reads the global until its local is assigned, and that a def cannot hide
# a built-in.
PREDICTIONS = {
    "A": "global",
    "B": "3",
    "C": "2 2",
    "D": "changed",
    "E": "[50, 50, 50]",
    "F": "3 1",
    "G": "NameError",
    "H": "outer 9",
    "I": "['_Base__id', '_Child__id']",
}
