# Says an empty history is not linearizable (nothing to order, so "no order found").
def is_linearizable(history):
    if not history:
        return False
    memo = {}

    def place(left, value):
        if not left:
            return True
        if (left, value) not in memo:
            memo[(left, value)] = any(
                place(left - {i}, history[i]["value"] if history[i]["kind"] == "write" else value)
                for i in left
                if not any(history[j]["end"] < history[i]["start"] for j in left)
                and (history[i]["kind"] == "write" or history[i]["value"] == value)
            )
        return memo[(left, value)]

    return place(frozenset(range(len(history))), None)
