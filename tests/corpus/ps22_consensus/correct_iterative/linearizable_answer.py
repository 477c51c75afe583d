def is_linearizable(history):
    """Depth-first search with an explicit stack and a set of states already explored."""
    everything = frozenset(range(len(history)))
    stack = [(everything, None)]
    explored = set()
    while stack:
        left, value = stack.pop()
        if not left:
            return True
        if (left, value) in explored:
            continue
        explored.add((left, value))
        earliest_end = min(history[j]["end"] for j in left)
        for i in left:
            operation = history[i]
            if operation["start"] > earliest_end:
                continue  # something still left ended before this one began
            if operation["kind"] == "write":
                stack.append((left - {i}, operation["value"]))
            elif operation["value"] == value:
                stack.append((left - {i}, value))
    return False
