# A correct answer: validation with any(), rows from a comprehension over sorted pairs.
def speedup_table(timings):
    if 1 not in timings or any(w < 1 for w in timings) or min(timings.values()) <= 0:
        raise ValueError("timings must hold positive times for worker counts >= 1, with 1")
    t1 = float(timings[1])
    return [
        {"workers": w, "seconds": float(t), "speedup": t1 / t, "efficiency": t1 / t / w}
        for w, t in sorted(timings.items())
    ]
