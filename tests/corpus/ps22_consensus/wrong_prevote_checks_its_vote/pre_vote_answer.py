# Treats the pre-vote as a vote: refuses when it voted in its term already.
def pre_vote(state, request, heard_from_leader):
    log = state["log"]
    own = (log[-1]["term"], len(log)) if log else (0, 0)
    offered = (request["last_log_term"], request["last_log_index"])
    free = state["voted_for"] in (None, request["candidate_id"])
    granted = not heard_from_leader and request["term"] > state["term"] and offered >= own
    return {"term": state["term"], "vote_granted": granted and free}
