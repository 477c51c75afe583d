def request_vote(state, request):
    """Every branch spelled out."""
    new = {
        "id": state["id"],
        "term": state["term"],
        "voted_for": state["voted_for"],
        "log": [dict(e) for e in state["log"]],
        "commit_index": state["commit_index"],
    }
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "vote_granted": False}
    if request["term"] > new["term"]:
        new["term"] = request["term"]
        new["voted_for"] = None
    if new["voted_for"] is not None and new["voted_for"] != request["candidate_id"]:
        return new, {"term": new["term"], "vote_granted": False}
    my_last_term = new["log"][-1]["term"] if new["log"] else 0
    if request["last_log_term"] < my_last_term:
        return new, {"term": new["term"], "vote_granted": False}
    if request["last_log_term"] == my_last_term and request["last_log_index"] < len(new["log"]):
        return new, {"term": new["term"], "vote_granted": False}
    new["voted_for"] = request["candidate_id"]
    return new, {"term": new["term"], "vote_granted": True}
