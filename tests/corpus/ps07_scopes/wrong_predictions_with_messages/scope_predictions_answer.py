# Copies the last line of the traceback, message included, and ends lines with "\n".
PREDICTIONS = {
    "A": "UnboundLocalError: cannot access local variable 'x' where it is not associated with a value",
    "B": "0",
    "C": "2 2\n",
    "D": "changed",
    "E": "[50, 50, 50]",
    "F": "3 1",
    "G": "NameError: name 'size' is not defined",
    "H": "outer 9",
    "I": "['_Base__id', '_Child__id']",
}
