# A correct answer with a small accumulator class and prints in a debug branch.
DEBUG = False


class _Totals:
    def __init__(self):
        self.requests = 0
        self.errors = 0
        self.error_bytes = 0

    def add(self, status, size):
        self.requests += 1
        if status > 499:
            self.errors += 1
            self.error_bytes += size


def report(lines):
    totals = _Totals()
    for number, line in enumerate(lines):
        if line.isspace() or not line or line.startswith("#"):
            if DEBUG:
                print("skipped line", number)
            continue
        parts = line.split()
        totals.add(int(parts[2]), int(parts[3]))
    return {"requests": totals.requests, "errors": totals.errors, "error_bytes": totals.error_bytes}
