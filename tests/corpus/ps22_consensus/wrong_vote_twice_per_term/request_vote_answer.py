# Forgets the vote already given: any candidate with a current term and a good log gets it.
def request_vote(state, request):
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    log = new["log"]
    mine = (log[-1]["term"], len(log)) if log else (0, 0)
    granted = (request["last_log_term"], request["last_log_index"]) >= mine
    if granted:
        new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": granted}
