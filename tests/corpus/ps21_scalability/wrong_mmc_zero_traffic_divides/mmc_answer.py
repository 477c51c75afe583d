def mmc(arrival_rate, service_rate, servers):
    """The averages of an M/M/c queue, as a dict of floats: utilisation, p_wait (Erlang C),
    wait (mean time in the queue), response, queue_length and in_system (Little's law)."""
    for value in (arrival_rate, service_rate):
        if type(value) not in (int, float) or not math.isfinite(value):
            raise ValueError("rates are finite numbers")
    if service_rate <= 0 or arrival_rate < 0:
        raise ValueError("service_rate must be above 0 and arrival_rate at least 0")
    if type(servers) is not int or servers < 1:
        raise ValueError("servers must be an int of at least 1")
    offered = 1 / (service_rate / arrival_rate)
    rho = offered / servers
    if rho >= 1:
        return {
            "utilisation": float(rho),
            "p_wait": 1.0,
            "wait": math.inf,
            "response": math.inf,
            "queue_length": math.inf,
            "in_system": math.inf,
        }
    blocked = 1.0
    for k in range(1, servers + 1):
        blocked = offered * blocked / (k + offered * blocked)
    p_wait = blocked / (1 - rho * (1 - blocked))
    wait = p_wait / (servers * service_rate - arrival_rate)
    response = wait + 1 / service_rate
    return {
        "utilisation": float(rho),
        "p_wait": float(p_wait),
        "wait": float(wait),
        "response": float(response),
        "queue_length": float(arrival_rate * wait),
        "in_system": float(arrival_rate * response),
    }


def servers_needed(arrival_rate, service_rate, max_wait):
    """The smallest number of servers whose mean wait in the queue is at most max_wait."""
    mmc(arrival_rate, service_rate, 1)  # refuses rates that are not rates
    if type(max_wait) not in (int, float) or math.isnan(max_wait) or max_wait < 0:
        raise ValueError("max_wait is a number of at least 0")
    if arrival_rate == 0:
        return 1
    if max_wait == 0:
        raise ValueError("with traffic, some request always waits: no count of servers is enough")
    servers = math.floor(arrival_rate / service_rate) + 1
    while mmc(arrival_rate, service_rate, servers)["wait"] > max_wait:
        servers += 1
    return servers
