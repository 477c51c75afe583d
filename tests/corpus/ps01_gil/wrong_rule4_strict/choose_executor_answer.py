# Rule 4 with ">" for "at least as long": a task whose shipping costs exactly as long as its
# computing goes to processes instead of running sequentially.
def choose_executor(workload):
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        return "asyncio" if workload.async_client else "threads"
    if workload.releases_gil or not workload.gil_enabled:
        return "threads"
    if workload.payload_mb * SHIP_SECONDS_PER_MB > workload.compute_seconds:
        return "sequential"
    return "processes"
