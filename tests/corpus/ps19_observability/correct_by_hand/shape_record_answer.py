# An explicit stack instead of recursion, copying each container before filling it.
def shape_record(logger, method_name, event_dict):
    """Level and redaction, without recursion."""
    names = set(SECRET_NAMES)

    def secret(key):
        if type(key) is not str:
            return False
        key = key.lower().replace("-", "_")
        return key in names or any(key.endswith("_" + name) for name in names)

    result = {}
    work = [(event_dict, result)]
    while work:
        source, target = work.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            if isinstance(source, dict) and secret(key):
                copy = REDACTED
            elif isinstance(value, dict):
                copy = {}
                work.append((value, copy))
            elif isinstance(value, list):
                copy = [None] * len(value)
                work.append((value, copy))
            else:
                copy = value
            if isinstance(target, dict):
                target[key] = copy
            else:
                target[key] = copy
    aliases = {"warn": "warning", "exception": "error"}
    result["level"] = aliases.get(method_name.lower(), method_name.lower())
    return result
