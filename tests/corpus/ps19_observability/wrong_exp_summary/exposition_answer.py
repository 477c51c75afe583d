# Records latencies in a Summary, which has no buckets and cannot be added up across instances.
from prometheus_client import Summary


def exposition(requests):
    """Count `requests` (a list of dicts) in a new registry with the counter
    `shop_requests`, the histogram `shop_request_duration_seconds` and the gauge
    `shop_active_users`, and return the registry's exposition text."""
    registry = CollectorRegistry()
    answered = Counter(
        "shop_requests",
        "HTTP requests answered, by method, route template and status code.",
        ["method", "route", "status"],
        registry=registry,
    )
    duration = Summary(
        "shop_request_duration_seconds",
        "Time to answer an HTTP request, by method and route template.",
        ["method", "route"],
        registry=registry,
    )
    users = Gauge("shop_active_users", "Distinct users in the batch.", registry=registry)
    seen = set()
    for request in requests:
        method = request["method"].upper()
        route = UNMATCHED if request["route"] is None else request["route"]
        answered.labels(method, route, str(request["status"])).inc()
        duration.labels(method, route).observe(request["seconds"])
        seen.add(request["user_id"])
    users.set(len(seen))
    return generate_latest(registry).decode()
