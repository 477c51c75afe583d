# A correct answer that counts categories in a Counter, with a helper that classifies a line.
from collections import Counter


def _kind(line):
    if not line.strip() or line[:1] == "#":
        return None
    _method, _path, status, size = line.split()
    return ("error", int(size)) if int(status) >= 500 else ("ok", 0)


def report(lines):
    counts = Counter()
    for line in lines:
        kind = _kind(line)
        if kind is None:
            continue
        counts["requests"] += 1
        if kind[0] == "error":
            counts["errors"] += 1
            counts["error_bytes"] += kind[1]
    return {key: counts[key] for key in ("requests", "errors", "error_bytes")}
