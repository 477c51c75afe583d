# A leader that never doubts itself: the cut-off leader leads on until the heal.
def check_quorum(last_heard, now, elected_at, timeout):
    return True
