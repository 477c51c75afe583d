# Still counts a reply exactly timeout ticks old (<= instead of <).
def check_quorum(last_heard, now, elected_at, timeout):
    if now - elected_at < timeout:
        return True
    live = sum(1 for t in last_heard.values() if t is not None and now - t <= timeout)
    return 2 * (1 + live) > len(last_heard) + 1
