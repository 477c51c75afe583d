# Reads the lines three times, one sum per number: right on a list, and a used-up iterator
# (errors and bytes 0) on a generator or a file.
def report(lines):
    def requests():
        return (line.split() for line in lines if line.strip() and not line.startswith("#"))

    return {
        "requests": sum(1 for _ in requests()),
        "errors": sum(1 for fields in requests() if int(fields[2]) >= 500),
        "error_bytes": sum(int(fields[3]) for fields in requests() if int(fields[2]) >= 500),
    }
