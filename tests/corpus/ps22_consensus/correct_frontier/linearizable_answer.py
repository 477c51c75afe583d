from functools import cache


def is_linearizable(history):
    """Operations sorted by start first; a cached search over bit masks of placed operations."""
    ops = sorted(history, key=lambda o: (o["start"], o["end"]))
    full = (1 << len(ops)) - 1

    @cache
    def search(placed, last_write):
        if placed == full:
            return True
        value = None if last_write < 0 else ops[last_write]["value"]
        pending = [i for i in range(len(ops)) if not placed >> i & 1]
        bound = min(ops[i]["end"] for i in pending)
        for i in pending:
            if ops[i]["start"] > bound:
                break  # sorted by start: none after this one can go first either
            if ops[i]["kind"] == "write":
                if search(placed | 1 << i, i):
                    return True
            elif ops[i]["value"] == value and search(placed | 1 << i, last_write):
                return True
        return False

    return search(0, -1)
