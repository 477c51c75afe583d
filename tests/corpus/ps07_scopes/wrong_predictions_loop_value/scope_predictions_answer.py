# Knows about late binding, but takes the loop's last value (2) instead of the later i = 5,
# and thinks counters made by one factory share their count.
PREDICTIONS = {
    "A": "UnboundLocalError",
    "B": "0",
    "C": "2 2",
    "D": "changed",
    "E": "[20, 20, 20]",
    "F": "4 4",
    "G": "NameError",
    "H": "outer 9",
    "I": "['_Base__id', '_Child__id']",
}
