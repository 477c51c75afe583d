# A regular expression for the names, and a recursive helper outside the processor.
import re

_SECRET = re.compile(r"(?:.*_)?(?:" + "|".join(map(re.escape, SECRET_NAMES)) + r")")


def _scrubbed(value):
    if isinstance(value, dict):
        out = {}
        for key, inner in value.items():
            if isinstance(key, str) and _SECRET.fullmatch(key.lower().replace("-", "_")):
                out[key] = REDACTED
            else:
                out[key] = _scrubbed(inner)
        return out
    if isinstance(value, list):
        return list(map(_scrubbed, value))
    return value


def shape_record(logger, method_name, event_dict):
    """Processor: level, then redaction."""
    name = method_name.lower()
    if name == "warn":
        name = "warning"
    elif name == "exception":
        name = "error"
    record = _scrubbed(event_dict)
    record["level"] = name
    return record
