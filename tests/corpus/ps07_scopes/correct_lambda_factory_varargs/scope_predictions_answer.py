# Filled in one item at a time.
PREDICTIONS = {}
PREDICTIONS["A"] = "UnboundLocalError"
PREDICTIONS["B"] = str(0)
PREDICTIONS["C"] = "2 2"
PREDICTIONS["D"] = "changed"
PREDICTIONS["E"] = str([50, 50, 50])
PREDICTIONS["F"] = "3 1"
PREDICTIONS["G"] = "NameError"
PREDICTIONS["H"] = "outer 9"
PREDICTIONS["I"] = str(["_Base__id", "_Child__id"])
