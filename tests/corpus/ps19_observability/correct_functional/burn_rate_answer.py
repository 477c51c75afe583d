# Increases with sum over zip, the window with filter, NaN when unknown.
def _increase(values):
    return sum(
        later if later < earlier else later - earlier
        for earlier, later in zip(values, values[1:], strict=False)
    )


def burn_rate(samples, now, window, slo):
    """Errors' increase over requests' increase, over the budget."""
    if not 0.0 < slo < 1.0:
        raise ValueError(f"slo {slo} is not a fraction")
    inside = list(filter(lambda s: now - window <= s[0] <= now, samples))
    if len(inside) < 2:
        return math.nan
    requests = _increase([s[1] for s in inside])
    failures = _increase([s[2] for s in inside])
    return math.nan if requests == 0 else float(failures) / float(requests) / (1.0 - slo)


def should_page(samples, now, slo, factor=14.4, long=3600, short=300):
    """Page only when both windows burn faster than the factor."""
    over_long, over_short = (burn_rate(samples, now, w, slo) for w in (long, short))
    return over_long > factor and over_short > factor
