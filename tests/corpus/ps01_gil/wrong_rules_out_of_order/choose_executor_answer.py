# Applies the waiting rule before the small-batch rule: one waiting task gets a pool.
def choose_executor(workload):
    if workload.wait_seconds > workload.compute_seconds:
        return "asyncio" if workload.async_client else "threads"
    if workload.tasks < 2:
        return "sequential"
    if workload.releases_gil or not workload.gil_enabled:
        return "threads"
    if workload.payload_mb * SHIP_SECONDS_PER_MB >= workload.compute_seconds:
        return "sequential"
    return "processes"
