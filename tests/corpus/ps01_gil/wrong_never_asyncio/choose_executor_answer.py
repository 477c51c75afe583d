# Forgets the asyncio rule: every waiting workload gets threads.
def choose_executor(workload):
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        return "threads"
    if workload.releases_gil or not workload.gil_enabled:
        return "threads"
    if workload.payload_mb * SHIP_SECONDS_PER_MB >= workload.compute_seconds:
        return "sequential"
    return "processes"
