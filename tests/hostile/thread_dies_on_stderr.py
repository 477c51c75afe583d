# expect: 7
# Right everywhere, but on one visible edge case it starts a helper thread that dies of an
# uncaught exception: its traceback goes to stderr while the edge-case cell runs. nbgrader fails
# a test cell with output on stderr, so advpy grade must too (3 points lost), without showing
# what was written.
import threading


def _audit_log(transactions):
    raise RuntimeError(f"audit log unavailable for {transactions!r}")


def find_pairs(transactions, target):
    if transactions == [5] and target == 10:
        worker = threading.Thread(target=_audit_log, args=(transactions,))
        worker.start()
        worker.join()
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs
