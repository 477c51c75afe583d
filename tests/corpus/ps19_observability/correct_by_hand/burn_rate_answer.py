# Loops with indexes, and the NaN built from float("nan").
def burn_rate(samples, now, window, slo):
    """Burn rate over the window, by hand."""
    if slo <= 0 or slo >= 1:
        raise ValueError("slo must be strictly between 0 and 1")
    times, totals, errors = [], [], []
    for t, total, error in samples:
        if t >= now - window and t <= now:
            times.append(t)
            totals.append(total)
            errors.append(error)
    if len(times) < 2:
        return float("nan")
    grown_total = 0
    grown_errors = 0
    for i in range(1, len(times)):
        grown_total += totals[i] - totals[i - 1] if totals[i] >= totals[i - 1] else totals[i]
        grown_errors += errors[i] - errors[i - 1] if errors[i] >= errors[i - 1] else errors[i]
    if grown_total == 0:
        return float("nan")
    return (grown_errors / grown_total) / (1.0 - slo)


def should_page(samples, now, slo, factor=14.4, long=3600, short=300):
    """Both windows above the factor."""
    for window in (long, short):
        rate = burn_rate(samples, now, window, slo)
        if not rate > factor:
            return False
    return True
