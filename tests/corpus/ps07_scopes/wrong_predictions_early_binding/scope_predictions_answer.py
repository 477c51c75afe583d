# Believes closures capture values when they are defined.
PREDICTIONS = {
    "A": "UnboundLocalError",
    "B": "0",
    "C": "2 2",
    "D": "enclosing",
    "E": "[0, 10, 20]",
    "F": "3 1",
    "G": "NameError",
    "H": "outer 9",
    "I": "['_Base__id', '_Child__id']",
}
