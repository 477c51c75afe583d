# Counts only the other nodes: the leader is not part of its own majority.
def check_quorum(last_heard, now, elected_at, timeout):
    if now - elected_at < timeout:
        return True
    live = sum(1 for t in last_heard.values() if t is not None and now - t < timeout)
    return 2 * live > len(last_heard) + 1
