# A correct answer written as a lazy pipeline folded with functools.reduce.
import functools


def report(lines):
    records = (line.split() for line in lines)
    requests = (fields for fields in records if fields and not fields[0].startswith("#"))
    scored = ((int(status), int(size)) for _method, _path, status, size in requests)
    triples = ((1, 1, size) if status >= 500 else (1, 0, 0) for status, size in scored)
    total = functools.reduce(
        lambda a, b: (a[0] + b[0], a[1] + b[1], a[2] + b[2]), triples, (0, 0, 0)
    )
    return dict(zip(("requests", "errors", "error_bytes"), total, strict=True))
