# A correct answer: the same rules, grouped by what the task spends its time on.
def choose_executor(workload):
    w = workload
    if w.tasks <= 1:
        return "sequential"
    mostly_waiting = w.wait_seconds > w.compute_seconds
    if mostly_waiting:
        return {True: "asyncio", False: "threads"}[bool(w.async_client)]
    gil_free = w.releases_gil or not w.gil_enabled
    if gil_free:
        return "threads"
    too_costly_to_ship = w.compute_seconds <= w.payload_mb * SHIP_SECONDS_PER_MB
    return "sequential" if too_costly_to_ship else "processes"
