# Writes the exposition text itself, in Prometheus's text format, without prometheus_client.
def exposition(requests):
    """The exposition text for `requests`, written by hand."""
    counts = {}
    histograms = {}
    users = set()
    for request in requests:
        method = request["method"].upper()
        route = request["route"] if request["route"] is not None else UNMATCHED
        key = (method, route, str(request["status"]))
        counts[key] = counts.get(key, 0) + 1
        buckets, total = histograms.setdefault((method, route), ([0] * len(BUCKETS), [0, 0.0]))
        for index, bound in enumerate(BUCKETS):
            if request["seconds"] <= bound:
                buckets[index] += 1
        total[0] += 1
        total[1] += request["seconds"]
        users.add(request["user_id"])

    def quoted(value):
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')

    lines = [
        "# HELP shop_requests_total Requests answered.",
        "# TYPE shop_requests_total counter",
    ]
    for (method, route, status), count in counts.items():
        labels = f'method="{quoted(method)}",route="{quoted(route)}",status="{status}"'
        lines.append(f"shop_requests_total{{{labels}}} {float(count)}")
    lines += [
        "# HELP shop_request_duration_seconds Time to answer.",
        "# TYPE shop_request_duration_seconds histogram",
    ]
    for (method, route), (buckets, (count, seconds)) in histograms.items():
        labels = f'method="{quoted(method)}",route="{quoted(route)}"'
        for bound, inside in zip(BUCKETS, buckets, strict=True):
            lines.append(
                f'shop_request_duration_seconds_bucket{{{labels},le="{bound}"}} {float(inside)}'
            )
        lines.append(f'shop_request_duration_seconds_bucket{{{labels},le="+Inf"}} {float(count)}')
        lines.append(f"shop_request_duration_seconds_count{{{labels}}} {float(count)}")
        lines.append(f"shop_request_duration_seconds_sum{{{labels}}} {seconds!r}")
    lines += [
        "# HELP shop_active_users Distinct users.",
        "# TYPE shop_active_users gauge",
        f"shop_active_users {float(len(users))}",
    ]
    return "\n".join(lines) + "\n"
