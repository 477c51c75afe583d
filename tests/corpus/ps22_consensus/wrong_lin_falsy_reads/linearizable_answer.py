# Lets a read of a falsy value (None, 0, "") go anywhere, as if it read "nothing".
def is_linearizable(history):
    def place(left, value):
        if not left:
            return True
        for i in left:
            if any(history[j]["end"] < history[i]["start"] for j in left):
                continue
            o = history[i]
            if o["kind"] == "read" and o["value"] and o["value"] != value:
                continue
            if place(left - {i}, o["value"] if o["kind"] == "write" else value):
                return True
        return False

    return place(frozenset(range(len(history))), None)
