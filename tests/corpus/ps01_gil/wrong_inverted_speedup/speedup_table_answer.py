# Speed-up upside down: time / baseline, so faster runs get smaller numbers.
def speedup_table(timings):
    if 1 not in timings or any(w < 1 for w in timings) or min(timings.values()) <= 0:
        raise ValueError("bad timings")
    t1 = timings[1]
    rows = []
    for w, t in sorted(timings.items()):
        rows.append(
            {"workers": w, "seconds": float(t), "speedup": t / t1, "efficiency": t / t1 / w}
        )
    return rows
