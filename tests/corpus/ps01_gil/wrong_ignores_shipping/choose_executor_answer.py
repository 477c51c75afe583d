# Forgets the cost of shipping inputs: processes for all pure-Python computing.
def choose_executor(workload):
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        return "asyncio" if workload.async_client else "threads"
    if workload.releases_gil or not workload.gil_enabled:
        return "threads"
    return "processes"
