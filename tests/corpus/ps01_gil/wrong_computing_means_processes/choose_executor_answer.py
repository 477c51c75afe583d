# Treats all computing alike: processes, even when the GIL is released or absent.
def choose_executor(workload):
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        return "asyncio" if workload.async_client else "threads"
    if workload.payload_mb * SHIP_SECONDS_PER_MB >= workload.compute_seconds:
        return "sequential"
    return "processes"
