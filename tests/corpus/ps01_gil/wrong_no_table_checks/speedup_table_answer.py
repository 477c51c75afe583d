# No checks: a missing baseline raises KeyError, bad counts and times give nonsense rows.
def speedup_table(timings):
    t1 = timings[1]
    return [
        {"workers": w, "seconds": float(t), "speedup": t1 / t, "efficiency": t1 / t / w}
        for w, t in sorted(timings.items())
    ]
