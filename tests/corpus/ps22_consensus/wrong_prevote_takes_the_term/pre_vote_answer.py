# Answers like a real vote: its reply carries the candidate's newer term.
def pre_vote(state, request, heard_from_leader):
    log = state["log"]
    own = (log[-1]["term"], len(log)) if log else (0, 0)
    offered = (request["last_log_term"], request["last_log_index"])
    granted = not heard_from_leader and request["term"] > state["term"] and offered >= own
    return {"term": max(state["term"], request["term"]), "vote_granted": granted}
