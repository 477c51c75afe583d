# Compares log lengths only: a long log from an old term wins over a short, newer one.
def request_vote(state, request):
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    granted = new["voted_for"] in (None, request["candidate_id"]) and request[
        "last_log_index"
    ] >= len(new["log"])
    if granted:
        new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": granted}
