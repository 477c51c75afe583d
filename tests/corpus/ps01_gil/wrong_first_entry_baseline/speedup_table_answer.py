# Takes the first entry of the dict as the baseline, not the 1-worker time.
def speedup_table(timings):
    if 1 not in timings or any(w < 1 for w in timings) or min(timings.values()) <= 0:
        raise ValueError("bad timings")
    base = next(iter(timings.values()))
    return [
        {"workers": w, "seconds": float(t), "speedup": base / t, "efficiency": base / t / w}
        for w, t in sorted(timings.items())
    ]
