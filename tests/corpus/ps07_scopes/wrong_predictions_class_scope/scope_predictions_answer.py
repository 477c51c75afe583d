# Believes class bodies are enclosing scopes, comprehension variables leak, and mangling
# uses the instance's class.
PREDICTIONS = {
    "A": "UnboundLocalError",
    "B": "0",
    "C": "2 2",
    "D": "changed",
    "E": "[50, 50, 50]",
    "F": "3 1",
    "G": "[6, 6]",
    "H": "3 9",
    "I": "['_Child__id']",
}
