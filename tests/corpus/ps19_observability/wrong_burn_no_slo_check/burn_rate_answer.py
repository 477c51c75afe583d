# Does not check the SLO: 1.0 divides by zero, 1.5 gives a negative budget.
def burn_rate(samples, now, window, slo):
    """The error budget's burn rate over the `window` seconds ending at `now`, from counter
    samples (t, total, errors); NaN without two samples or without traffic."""
    inside = [s for s in samples if now - window <= s[0] <= now]
    if len(inside) < 2:
        return math.nan

    def increase(values):
        return sum(b - a if b >= a else b for a, b in zip(values, values[1:], strict=False))

    total = increase([s[1] for s in inside])
    if total == 0:
        return math.nan
    errors = increase([s[2] for s in inside])
    return float(errors / total / (1 - slo))


def should_page(samples, now, slo, factor=14.4, long=3600, short=300):
    """True when the burn rate is above `factor` over both the long and the short window."""
    over_long = burn_rate(samples, now, long, slo)
    over_short = burn_rate(samples, now, short, slo)
    return bool(over_long > factor and over_short > factor)
