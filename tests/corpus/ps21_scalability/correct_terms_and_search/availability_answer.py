from functools import reduce


def _check(value):
    if type(value) not in (int, float) or math.isnan(value) or value < 0 or value > 1:
        raise ValueError("an availability is a number from 0 to 1")
    return float(value)


def availability(system):
    if type(system) in (int, float):
        return _check(system)
    if type(system) is not tuple or len(system) != 2:
        raise ValueError("a group is (kind, parts)")
    kind, parts = system
    if kind not in ("serial", "parallel") or type(parts) is not list or not parts:
        raise ValueError("a group is ('serial' or 'parallel', non-empty list)")
    values = list(map(availability, parts))
    if kind == "serial":
        return reduce(lambda x, y: x * y, values, 1.0)
    return 1.0 - reduce(lambda x, y: x * (1.0 - y), values, 1.0)


def downtime_minutes(availability, days=365):
    unavailable = 1 - _check(availability)
    if type(days) not in (int, float) or not days > 0:
        raise ValueError("days")
    return float(unavailable * days * 24 * 60)


def nines(availability):
    down = 1 - _check(availability)
    if down == 0:
        return math.inf
    n = 0
    threshold = 0.1
    while down <= threshold * (1 + 1e-6):
        n += 1
        threshold /= 10
    return n
