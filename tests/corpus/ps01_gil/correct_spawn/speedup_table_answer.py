# A correct answer: builds the rows first, then sorts them by worker count.
def speedup_table(timings):
    if 1 not in timings:
        raise ValueError("no baseline")
    rows = []
    for workers, seconds in timings.items():
        if workers < 1:
            raise ValueError("workers must be >= 1")
        if not seconds > 0:
            raise ValueError("times must be > 0")
        speedup = timings[1] / seconds
        rows.append(
            {
                "workers": workers,
                "seconds": seconds * 1.0,
                "speedup": speedup,
                "efficiency": speedup / workers,
            }
        )
    rows.sort(key=lambda row: row["workers"])
    return rows
