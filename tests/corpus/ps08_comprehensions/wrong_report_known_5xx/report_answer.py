# Counts only the usual server errors (500, 502, 503, 504) instead of every status >= 500.
SERVER_ERRORS = {500, 502, 503, 504}


def report(lines):
    requests = errors = error_bytes = 0
    for line in lines:
        fields = line.split()
        if not fields or line.startswith("#"):
            continue
        requests += 1
        if int(fields[2]) in SERVER_ERRORS:
            errors += 1
            error_bytes += int(fields[3])
    return {"requests": requests, "errors": errors, "error_bytes": error_bytes}
