# Right answers, but changes the state passed in and returns that same dict.
def request_vote(state, request):
    if request["term"] < state["term"]:
        return state, {"term": state["term"], "vote_granted": False}
    if request["term"] > state["term"]:
        state["term"], state["voted_for"] = request["term"], None
    log = state["log"]
    mine = (log[-1]["term"], len(log)) if log else (0, 0)
    granted = (
        state["voted_for"] in (None, request["candidate_id"])
        and (
            request["last_log_term"],
            request["last_log_index"],
        )
        >= mine
    )
    if granted:
        state["voted_for"] = request["candidate_id"]
    return state, {"term": state["term"], "vote_granted": granted}
