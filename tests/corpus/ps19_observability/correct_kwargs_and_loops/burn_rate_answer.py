# itertools.pairwise and a helper that returns both increases at once.
from itertools import pairwise


def _increases(samples):
    total = errors = 0
    for (_, t0, e0), (_, t1, e1) in pairwise(samples):
        total += t1 - t0 if t1 >= t0 else t1
        errors += e1 - e0 if e1 >= e0 else e1
    return total, errors


def burn_rate(samples, now, window, slo):
    """Burn rate from counter samples."""
    if not (0 < slo < 1):
        raise ValueError("bad slo")
    inside = [sample for sample in samples if now - window <= sample[0] <= now]
    total, errors = _increases(inside)
    if len(inside) < 2 or total == 0:
        return math.nan
    return errors / total / (1 - slo)


def should_page(samples, now, slo, factor=14.4, long=3600, short=300):
    """Multi-window burn-rate alert."""
    rates = [burn_rate(samples, now, w, slo) for w in (long, short)]
    return all(rate > factor for rate in rates)
