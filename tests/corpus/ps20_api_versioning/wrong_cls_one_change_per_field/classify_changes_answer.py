def classify_changes(old, new):
    """Return a list of (operation, where, change, breaking) tuples, one per difference between
    the API descriptions old and new, marked breaking when clients of old may fail."""

    def widened(before, after):  # after allows every value before allowed
        return after is None or (before is not None and set(before) <= set(after))

    changes = []
    for key in sorted(old.keys() | new.keys()):
        if key not in new:
            changes.append((key, None, "operation removed", True))
            continue
        if key not in old:
            changes.append((key, None, "operation added", False))
            continue
        for side in ("request", "response"):
            sent = side == "request"
            before, after = old[key][side], new[key][side]
            for name in sorted(before.keys() | after.keys()):
                where = f"{side}.{name}"
                if name not in after:
                    changes.append((key, where, "field removed", not sent))
                    continue
                if name not in before:
                    changes.append((key, where, "field added", sent and after[name]["required"]))
                    continue
                was, now = before[name], after[name]
                if was["required"] != now["required"]:
                    if now["required"]:
                        changes.append((key, where, "made required", sent))
                    else:
                        changes.append((key, where, "made optional", not sent))
                elif was["type"] != now["type"]:
                    safe = ("integer", "number") if sent else ("number", "integer")
                    changes.append((key, where, "type changed", (was["type"], now["type"]) != safe))
                elif not (widened(was["enum"], now["enum"]) and widened(now["enum"], was["enum"])):
                    if sent:
                        breaking = not widened(was["enum"], now["enum"])
                    else:
                        breaking = not widened(now["enum"], was["enum"])
                    changes.append((key, where, "enum changed", breaking))
    return changes
