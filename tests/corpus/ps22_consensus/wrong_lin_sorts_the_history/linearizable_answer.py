# Right answers, but sorts the caller's list in place to make the search tidier.
def is_linearizable(history):
    history.sort(key=lambda o: o["start"])

    def place(left, value):
        if not left:
            return True
        for i in sorted(left):
            if any(history[j]["end"] < history[i]["start"] for j in left):
                continue
            o = history[i]
            if o["kind"] == "read" and o["value"] != value:
                continue
            if place(left - {i}, o["value"] if o["kind"] == "write" else value):
                return True
        return False

    return place(frozenset(range(len(history))), None)
