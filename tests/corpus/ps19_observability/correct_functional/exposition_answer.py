# Counts first with collections.Counter, then increments each series once by its count.
from collections import Counter as Tally


def exposition(requests):
    """Aggregate, then record."""
    registry = CollectorRegistry()
    answered = Counter(
        "shop_requests", "Answered.", ["method", "route", "status"], registry=registry
    )
    timing = Histogram(
        "shop_request_duration_seconds",
        "Seconds.",
        ["method", "route"],
        registry=registry,
        buckets=BUCKETS,
    )
    active = Gauge("shop_active_users", "Active users.", registry=registry)

    def key(request):
        route = request["route"]
        return request["method"].upper(), (UNMATCHED if route is None else route)

    tally = Tally((*key(r), str(r["status"])) for r in requests)
    for labels, count in tally.items():
        answered.labels(*labels).inc(count)
    for request in requests:
        timing.labels(*key(request)).observe(request["seconds"])
    active.set(len({r["user_id"] for r in requests}))
    return bytes(generate_latest(registry)).decode()
