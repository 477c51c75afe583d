# Streams the lines but keeps the size of every error in a list, added up at the end: memory
# still grows with the input (one int per error).
def report(lines):
    requests = 0
    sizes = []
    for line in lines:
        fields = line.split()
        if not fields or line.startswith("#"):
            continue
        requests += 1
        if int(fields[2]) >= 500:
            sizes.append(int(fields[3]))
    return {"requests": requests, "errors": len(sizes), "error_bytes": sum(sizes)}
