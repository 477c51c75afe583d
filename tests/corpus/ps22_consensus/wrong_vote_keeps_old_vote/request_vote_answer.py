# Takes a newer term but keeps the vote given in the older one, so it refuses everybody.
def request_vote(state, request):
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    new["term"] = request["term"]
    log = new["log"]
    mine = (log[-1]["term"], len(log)) if log else (0, 0)
    granted = (
        new["voted_for"] in (None, request["candidate_id"])
        and (
            request["last_log_term"],
            request["last_log_index"],
        )
        >= mine
    )
    if granted:
        new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": granted}
