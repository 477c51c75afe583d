def mmc(arrival_rate, service_rate, servers):
    for rate in (arrival_rate, service_rate):
        if type(rate) is bool or type(rate) not in (int, float):
            raise ValueError("rate must be a number")
        if rate != rate or rate in (math.inf, -math.inf):
            raise ValueError("rate must be finite")
    if not service_rate > 0 or arrival_rate < 0:
        raise ValueError("rates out of range")
    if type(servers) is not int or servers < 1:
        raise ValueError("servers must be a positive int")
    a = arrival_rate / service_rate
    rho = a / servers
    if rho >= 1:
        return {
            "utilisation": rho * 1.0,
            "p_wait": 1.0,
            "wait": math.inf,
            "response": math.inf,
            "queue_length": math.inf,
            "in_system": math.inf,
        }
    # Terms a^k / k!, scaled down whenever they grow, so nothing overflows.
    term, total = 1.0, 0.0
    for k in range(servers):
        total += term
        term *= a / (k + 1)
        if term > 1e200:
            term /= 1e200
            total /= 1e200
    last = term / (1 - rho)
    p_wait = last / (total + last)
    wait = p_wait / (servers * service_rate - arrival_rate)
    response = wait + 1 / service_rate
    out = {
        "utilisation": rho,
        "p_wait": p_wait,
        "wait": wait,
        "response": response,
        "queue_length": arrival_rate * wait,
        "in_system": arrival_rate * response,
    }
    return {key: float(value) for key, value in out.items()}


def servers_needed(arrival_rate, service_rate, max_wait):
    mmc(arrival_rate, service_rate, 1)
    if type(max_wait) not in (int, float) or max_wait != max_wait or max_wait < 0:
        raise ValueError("max_wait")
    if arrival_rate == 0:
        return 1
    if max_wait == 0:
        raise ValueError("every request would have to be served at once")
    low = int(arrival_rate / service_rate) + 1  # stable
    high = low
    while mmc(arrival_rate, service_rate, high)["wait"] > max_wait:
        high *= 2
    while low < high:  # the wait falls as servers are added
        middle = (low + high) // 2
        if mmc(arrival_rate, service_rate, middle)["wait"] <= max_wait:
            high = middle
        else:
            low = middle + 1
    return low
