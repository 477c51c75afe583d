# Keeps the nodes heard recently in a set, the leader among them.
def check_quorum(last_heard, now, elected_at, timeout):
    recent = {"leader"} | {
        name for name, tick in last_heard.items() if tick is not None and now - tick < timeout
    }
    in_grace = now - elected_at < timeout
    return in_grace or len(recent) > (len(last_heard) + 1) / 2
