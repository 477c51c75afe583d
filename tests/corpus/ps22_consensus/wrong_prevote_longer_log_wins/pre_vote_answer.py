# Compares log lengths first, last terms second: a long stale log wins.
def pre_vote(state, request, heard_from_leader):
    log = state["log"]
    own = (len(log), log[-1]["term"]) if log else (0, 0)
    offered = (request["last_log_index"], request["last_log_term"])
    granted = not heard_from_leader and request["term"] > state["term"] and offered >= own
    return {"term": state["term"], "vote_granted": granted}
