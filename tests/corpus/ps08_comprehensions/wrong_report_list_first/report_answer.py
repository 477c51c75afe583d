# Makes the input a list first "to be safe": one pass afterwards, but every line held at once.
def report(lines):
    lines = list(lines)
    requests = errors = error_bytes = 0
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        _method, _path, status, size = line.split()
        requests += 1
        if int(status) >= 500:
            errors += 1
            error_bytes += int(size)
    return {"requests": requests, "errors": errors, "error_bytes": error_bytes}
