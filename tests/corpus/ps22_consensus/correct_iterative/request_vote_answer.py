def request_vote(state, request):
    """Tuples compared for the up-to-date test; a shallow copy with a new log list."""
    new = dict(state, log=[dict(e) for e in state["log"]])
    term = max(new["term"], request["term"])
    if request["term"] < state["term"]:
        return new, {"term": term, "vote_granted": False}
    if term != state["term"]:
        new["voted_for"] = None
    new["term"] = term
    last = (new["log"][-1]["term"], len(new["log"])) if new["log"] else (0, 0)
    ok_vote = new["voted_for"] is None or new["voted_for"] == request["candidate_id"]
    ok_log = (request["last_log_term"], request["last_log_index"]) >= last
    if ok_vote and ok_log:
        new["voted_for"] = request["candidate_id"]
        return new, {"term": term, "vote_granted": True}
    return new, {"term": term, "vote_granted": False}
