# The right answer for this part: this folder's mistake is in another answer cell.
def choose_executor(workload):
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        if workload.async_client:
            return "asyncio"
        return "threads"
    if workload.releases_gil or not workload.gil_enabled:
        return "threads"
    shipping = workload.payload_mb * SHIP_SECONDS_PER_MB
    if shipping >= workload.compute_seconds:
        return "sequential"
    return "processes"
