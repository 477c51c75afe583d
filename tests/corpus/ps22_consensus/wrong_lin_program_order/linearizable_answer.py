# Checks sequential consistency: keeps each process's own order, ignores real time between
# processes, so a stale read by another process passes.
def is_linearizable(history):
    def place(left, value):
        if not left:
            return True
        for i in left:
            mine = history[i]
            if any(
                history[j]["process"] == mine["process"] and history[j]["start"] < mine["start"]
                for j in left
            ):
                continue
            if mine["kind"] == "read" and mine["value"] != value:
                continue
            if place(left - {i}, mine["value"] if mine["kind"] == "write" else value):
                return True
        return False

    return place(frozenset(range(len(history))), None)
