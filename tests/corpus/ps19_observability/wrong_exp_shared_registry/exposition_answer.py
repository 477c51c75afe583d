# The metrics are made once, at import: every call adds its batch to the counts of the calls before.
registry = CollectorRegistry()
answered = Counter("shop_requests", "Requests.", ["method", "route", "status"], registry=registry)
duration = Histogram(
    "shop_request_duration_seconds",
    "Durations.",
    ["method", "route"],
    buckets=BUCKETS,
    registry=registry,
)
users = Gauge("shop_active_users", "Users.", registry=registry)


def exposition(requests):
    """Count `requests` (a list of dicts) in a new registry with the counter
    `shop_requests`, the histogram `shop_request_duration_seconds` and the gauge
    `shop_active_users`, and return the registry's exposition text."""
    seen = set()
    for request in requests:
        method = request["method"].upper()
        route = UNMATCHED if request["route"] is None else request["route"]
        answered.labels(method, route, str(request["status"])).inc()
        duration.labels(method, route).observe(request["seconds"])
        seen.add(request["user_id"])
    users.set(len(seen))
    return generate_latest(registry).decode()
