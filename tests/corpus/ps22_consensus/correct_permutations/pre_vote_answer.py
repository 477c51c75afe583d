# One boolean expression; the log test as "not behind".
def pre_vote(state, request, heard_from_leader):
    log = list(state["log"])
    their_term, their_len = request["last_log_term"], request["last_log_index"]
    mine_term = log[-1]["term"] if len(log) > 0 else 0
    behind = their_term < mine_term or (their_term == mine_term and their_len < len(log))
    ok = (heard_from_leader is False) and request["term"] > state["term"] and not behind
    return dict(term=state["term"], vote_granted=ok)
