# Copies the times as given: an int time stays an int in the "seconds" column.
def speedup_table(timings):
    if 1 not in timings or any(w < 1 for w in timings) or min(timings.values()) <= 0:
        raise ValueError("bad timings")
    return [
        {"workers": w, "seconds": t, "speedup": timings[1] / t, "efficiency": timings[1] / t / w}
        for w, t in sorted(timings.items())
    ]
