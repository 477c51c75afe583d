# A loop that counts live followers, then compares with the cluster's majority size.
def check_quorum(last_heard, now, elected_at, timeout):
    if elected_at + timeout > now:
        return True
    count = 1
    for tick in last_heard.values():
        if tick is not None and tick > now - timeout:
            count += 1
    majority = (len(last_heard) + 1) // 2 + 1
    return count >= majority
