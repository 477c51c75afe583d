def classify_changes(old, new):
    """Table-free version: one small function per kind of difference."""
    found = []

    def allows(enum, value_set):
        return enum is None or (value_set is not None and value_set <= set(enum))

    def compare(op, side, name, a, b):
        where = side + "." + name
        request = side == "request"
        if a["required"] and not b["required"]:
            found.append((op, where, "made optional", not request))
        if b["required"] and not a["required"]:
            found.append((op, where, "made required", request))
        if a["type"] != b["type"]:
            if request:
                ok = a["type"] == "integer" and b["type"] == "number"
            else:
                ok = a["type"] == "number" and b["type"] == "integer"
            found.append((op, where, "type changed", not ok))
        old_set = None if a["enum"] is None else set(a["enum"])
        new_set = None if b["enum"] is None else set(b["enum"])
        if old_set != new_set:
            if request:
                breaking = not allows(b["enum"], old_set)
            else:
                breaking = not allows(a["enum"], new_set)
            found.append((op, where, "enum changed", breaking))

    for op in old:
        if op not in new:
            found.append((op, None, "operation removed", True))
    for op in new:
        if op not in old:
            found.append((op, None, "operation added", False))
            continue
        for side in ("request", "response"):
            a_fields, b_fields = old[op][side], new[op][side]
            for name in a_fields:
                if name not in b_fields:
                    found.append((op, side + "." + name, "field removed", side == "response"))
                else:
                    compare(op, side, name, a_fields[name], b_fields[name])
            for name in b_fields:
                if name not in a_fields:
                    breaking = side == "request" and b_fields[name]["required"] is True
                    found.append((op, side + "." + name, "field added", breaking))
    return found
