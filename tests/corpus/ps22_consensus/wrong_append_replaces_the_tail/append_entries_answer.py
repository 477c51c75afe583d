# Replaces everything after prev_log_index by the entries sent: a late, shorter message cuts
# entries the leader may already have committed.
def append_entries(state, request):
    new = copy.deepcopy(state)
    if request["term"] < new["term"]:
        return new, {"term": new["term"], "success": False, "match_index": 0}
    if request["term"] > new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    prev, log = request["prev_log_index"], new["log"]
    if prev > 0 and (prev > len(log) or log[prev - 1]["term"] != request["prev_log_term"]):
        return new, {"term": new["term"], "success": False, "match_index": 0}
    new["log"] = log[:prev] + [dict(e) for e in request["entries"]]
    last = prev + len(request["entries"])
    new["commit_index"] = max(new["commit_index"], min(request["leader_commit"], last))
    return new, {"term": new["term"], "success": True, "match_index": last}
