def availability(system):
    """The availability of a component (a number from 0 to 1) or of a ("serial", parts) or
    ("parallel", parts) group of them, as a float."""
    if type(system) in (int, float):
        if not 0 <= system <= 1:
            raise ValueError("a component's availability is from 0 to 1")
        return float(system)
    if type(system) is tuple and len(system) == 2 and type(system[1]) is list and system[1]:
        kind, parts = system
        values = [availability(part) for part in parts]
        if kind == "serial":
            return float(math.prod(values))
        if kind == "parallel":
            return float(1 - math.prod(1 - value for value in values))
    raise ValueError("a system is a number, or ('serial' | 'parallel', [parts])")


def downtime_minutes(availability, days=365):
    """Minutes of downtime in `days` days at this availability."""
    if type(availability) not in (int, float) or not 0 <= availability <= 1:
        raise ValueError("availability is a number from 0 to 1")
    if type(days) not in (int, float) or not days > 0:
        raise ValueError("days is a number above 0")
    return float((1 - availability) * days * 24 * 60)


def nines(availability):
    """How many nines: the largest n with 1 - availability <= 10**-n (slack 1e-6); inf at 1."""
    if type(availability) not in (int, float) or not 0 <= availability <= 1:
        raise ValueError("availability is a number from 0 to 1")
    if availability == 1:
        return math.inf
    return math.floor(-math.log10(1 - availability))
