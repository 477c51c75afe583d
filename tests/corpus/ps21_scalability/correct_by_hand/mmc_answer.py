def _rate(value):
    return type(value) in (int, float) and math.isfinite(value)


def mmc(arrival_rate, service_rate, servers):
    """M/M/c averages, Erlang C computed in logarithms."""
    if not (_rate(arrival_rate) and _rate(service_rate)):
        raise ValueError("rates must be finite numbers")
    if service_rate <= 0 or arrival_rate < 0:
        raise ValueError("bad rate")
    if isinstance(servers, bool) or not isinstance(servers, int) or servers <= 0:
        raise ValueError("bad number of servers")
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1:
        inf = float("inf")
        return dict(
            utilisation=float(rho),
            p_wait=1.0,
            wait=inf,
            response=inf,
            queue_length=inf,
            in_system=inf,
        )
    if a == 0:
        p = 0.0
    else:
        logs = [k * math.log(a) - math.lgamma(k + 1) for k in range(servers)]
        top = servers * math.log(a) - math.lgamma(servers + 1) - math.log(1 - rho)
        peak = max(logs + [top])
        total = sum(math.exp(x - peak) for x in logs) + math.exp(top - peak)
        p = math.exp(top - peak) / total
    wq = p / (servers * service_rate - arrival_rate)
    w = wq + 1.0 / service_rate
    return dict(
        utilisation=float(rho),
        p_wait=float(p),
        wait=float(wq),
        response=float(w),
        queue_length=float(arrival_rate * wq),
        in_system=float(arrival_rate * w),
    )


def servers_needed(arrival_rate, service_rate, max_wait):
    mmc(arrival_rate, service_rate, 1)
    if not isinstance(max_wait, (int, float)) or isinstance(max_wait, bool):
        raise ValueError("max_wait must be a number")
    if not max_wait >= 0:
        raise ValueError("max_wait must be at least 0")
    if arrival_rate == 0:
        return 1
    if max_wait == 0:
        raise ValueError("impossible")
    c = 1
    while True:
        m = mmc(arrival_rate, service_rate, c)
        if m["utilisation"] < 1 and m["wait"] <= max_wait:
            return c
        c += 1
