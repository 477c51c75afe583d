# Forgets the point of a pre-vote: it helps replace a leader it still hears.
def pre_vote(state, request, heard_from_leader):
    log = state["log"]
    own = (log[-1]["term"], len(log)) if log else (0, 0)
    offered = (request["last_log_term"], request["last_log_index"])
    granted = request["term"] > state["term"] and offered >= own
    return {"term": state["term"], "vote_granted": granted}
