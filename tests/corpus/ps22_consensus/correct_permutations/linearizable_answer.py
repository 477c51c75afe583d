def is_linearizable(history):
    """Try every order of the operations: fine for eight of them (40,320 orders at most)."""
    n = len(history)
    must_precede = [
        (a, b) for a in range(n) for b in range(n) if history[a]["end"] < history[b]["start"]
    ]
    for order in itertools.permutations(range(n)):
        where = {index: place for place, index in enumerate(order)}
        if any(where[a] > where[b] for a, b in must_precede):
            continue
        register = None
        for index in order:
            operation = history[index]
            if operation["kind"] == "write":
                register = operation["value"]
            elif operation["value"] != register:
                break
        else:
            return True
    return False
