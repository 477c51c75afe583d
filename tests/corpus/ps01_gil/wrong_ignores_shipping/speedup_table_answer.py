# The right answer for this part: this folder's mistake is in another answer cell.
def speedup_table(timings):
    if 1 not in timings:
        raise ValueError("need the 1-worker time")
    for workers, seconds in timings.items():
        if workers < 1 or seconds <= 0:
            raise ValueError("bad entry")
    base = timings[1]
    table = []
    for workers in sorted(timings):
        seconds = timings[workers]
        table.append(
            {
                "workers": workers,
                "seconds": float(seconds),
                "speedup": base / seconds,
                "efficiency": base / (seconds * workers),
            }
        )
    return table
