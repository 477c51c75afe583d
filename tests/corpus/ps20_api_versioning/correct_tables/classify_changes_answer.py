# (change, sent by the client?) -> is it breaking?
FIXED = {
    ("field removed", True): False,
    ("field removed", False): True,
    ("made required", True): True,
    ("made required", False): False,
    ("made optional", True): False,
    ("made optional", False): True,
}
SAFE_TYPE_CHANGES = {True: ("integer", "number"), False: ("number", "integer")}
EVERYTHING = object()


def _values(enum):
    return EVERYTHING if enum is None else frozenset(enum)


def _covers(big, small):
    return big is EVERYTHING or (small is not EVERYTHING and small <= big)


def classify_changes(old, new):
    """Driven by tables of what breaks a sender and what breaks a reader."""
    result = []
    for op in set(old) - set(new):
        result.append((op, None, "operation removed", True))
    for op in set(new) - set(old):
        result.append((op, None, "operation added", False))
    for op in set(old) & set(new):
        for side, sent in (("request", True), ("response", False)):
            a, b = old[op][side], new[op][side]
            for name in set(a) | set(b):
                where = f"{side}.{name}"
                if name not in b:
                    result.append((op, where, "field removed", FIXED["field removed", sent]))
                elif name not in a:
                    result.append((op, where, "field added", sent and b[name]["required"]))
                else:
                    x, y = a[name], b[name]
                    if x["required"] != y["required"]:
                        change = "made required" if y["required"] else "made optional"
                        result.append((op, where, change, FIXED[change, sent]))
                    if x["type"] != y["type"]:
                        safe = (x["type"], y["type"]) == SAFE_TYPE_CHANGES[sent]
                        result.append((op, where, "type changed", not safe))
                    before, after = _values(x["enum"]), _values(y["enum"])
                    if not (before is after or before == after):
                        if sent:
                            breaking = not _covers(after, before)
                        else:
                            breaking = not _covers(before, after)
                        result.append((op, where, "enum changed", breaking))
    return result
