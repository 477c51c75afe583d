def _component(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return 0.0 <= value <= 1.0


def availability(system):
    if _component(system):
        return float(system)
    if isinstance(system, tuple) and len(system) == 2:
        kind, parts = system
        if isinstance(parts, list) and len(parts) > 0:
            values = [availability(p) for p in parts]
            if kind == "serial":
                result = 1.0
                for v in values:
                    result *= v
                return result
            if kind == "parallel":
                down = 1.0
                for v in values:
                    down *= 1.0 - v
                return 1.0 - down
    raise ValueError("not a system")


def downtime_minutes(availability, days=365):
    if not _component(availability):
        raise ValueError("availability out of range")
    if isinstance(days, bool) or not isinstance(days, (int, float)) or not days > 0:
        raise ValueError("days must be above 0")
    return (1.0 - availability) * days * 1440.0


def nines(availability):
    if not _component(availability):
        raise ValueError("availability out of range")
    if availability == 1:
        return math.inf
    return math.floor(-math.log10(1 - availability) + math.log10(1 + 1e-6))
