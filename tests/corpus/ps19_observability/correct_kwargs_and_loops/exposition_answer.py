# Labels by keyword, metrics kept in a dict, users counted with a dict of seen ids.
def exposition(requests):
    """Exposition of the batch, with labels given by name."""
    registry = CollectorRegistry()
    metrics = {
        "requests": Counter(
            "shop_requests",
            "Requests.",
            labelnames=("method", "route", "status"),
            registry=registry,
        ),
        "seconds": Histogram(
            "shop_request_duration_seconds",
            "Durations.",
            labelnames=("method", "route"),
            registry=registry,
            buckets=list(BUCKETS),
        ),
        "users": Gauge("shop_active_users", "Users.", registry=registry),
    }
    seen = {}
    for request in requests:
        labels = {
            "method": request["method"].upper(),
            "route": UNMATCHED if request["route"] is None else request["route"],
        }
        metrics["requests"].labels(**labels, status=f"{request['status']:d}").inc(1)
        metrics["seconds"].labels(**labels).observe(request["seconds"])
        seen[request["user_id"]] = True
    metrics["users"].set(len(seen))
    return generate_latest(registry).decode("utf-8")
