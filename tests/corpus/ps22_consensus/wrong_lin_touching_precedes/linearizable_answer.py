# Treats an operation that ends exactly when another starts as preceding it (<= instead of <).
def is_linearizable(history):
    def place(left, value):
        if not left:
            return True
        for i in left:
            if any(history[j]["end"] <= history[i]["start"] for j in left if j != i):
                continue
            op_ = history[i]
            if op_["kind"] == "read" and op_["value"] != value:
                continue
            nxt = op_["value"] if op_["kind"] == "write" else value
            if place(left - {i}, nxt):
                return True
        return False

    return place(frozenset(range(len(history))), None)
