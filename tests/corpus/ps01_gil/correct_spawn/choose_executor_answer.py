# A correct answer: the computing branch looked up in a small table.
def choose_executor(workload):
    if workload.tasks < 2:
        return "sequential"
    if workload.wait_seconds > workload.compute_seconds:
        return "asyncio" if workload.async_client else "threads"
    parallel_threads = workload.releases_gil or not workload.gil_enabled
    worth_shipping = workload.payload_mb * SHIP_SECONDS_PER_MB < workload.compute_seconds
    choices = {
        (True, True): "threads",
        (True, False): "threads",
        (False, True): "processes",
        (False, False): "sequential",
    }
    return choices[(bool(parallel_threads), bool(worth_shipping))]
