def append_entries(state, request):
    """A while loop over the entries sent, skipping the ones already there."""
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "success": False, "match_index": 0}
    if request["term"] > new["term"]:
        new.update(term=request["term"], voted_for=None)
    prev = request["prev_log_index"]
    log = new["log"]
    matches = prev == 0 or (prev <= len(log) and log[prev - 1]["term"] == request["prev_log_term"])
    if not matches:
        return new, {"term": new["term"], "success": False, "match_index": 0}
    sent = request["entries"]
    k = 0
    while k < len(sent) and prev + k < len(log) and log[prev + k]["term"] == sent[k]["term"]:
        k += 1
    if k < len(sent):
        new["log"] = log[: prev + k] + [dict(e) for e in sent[k:]]
    last = prev + len(sent)
    if request["leader_commit"] > new["commit_index"]:
        new["commit_index"] = max(new["commit_index"], min(request["leader_commit"], last))
    return new, {"term": new["term"], "success": True, "match_index": last}
