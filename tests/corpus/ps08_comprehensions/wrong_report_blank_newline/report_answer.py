# Skips empty strings only: "\n" is truthy, so a blank line reaches split() and fields[2].
def report(lines):
    requests = errors = error_bytes = 0
    for line in lines:
        if not line or line.startswith("#"):
            continue
        fields = line.split()
        requests += 1
        if int(fields[2]) >= 500:
            errors += 1
            error_bytes += int(fields[3])
    return {"requests": requests, "errors": errors, "error_bytes": error_bytes}
