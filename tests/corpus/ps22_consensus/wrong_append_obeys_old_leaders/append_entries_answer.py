# Never compares terms: a deposed leader's messages are obeyed, and its term overwrites the
# node's newer one.
def append_entries(state, request):
    new = copy.deepcopy(state)
    if request["term"] != new["term"]:
        new["term"], new["voted_for"] = request["term"], None
    prev, log = request["prev_log_index"], new["log"]
    if prev > 0 and (prev > len(log) or log[prev - 1]["term"] != request["prev_log_term"]):
        return new, {"term": new["term"], "success": False, "match_index": 0}
    for position, sent in enumerate(request["entries"], start=prev):
        if position < len(log) and log[position]["term"] != sent["term"]:
            del log[position:]
        if position >= len(log):
            log.append(dict(sent))
    last = prev + len(request["entries"])
    new["commit_index"] = max(new["commit_index"], min(request["leader_commit"], last))
    return new, {"term": new["term"], "success": True, "match_index": last}
