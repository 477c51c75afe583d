def append_entries(state, request):
    """Entries compared one by one; the log cut at the first conflict."""
    new = dict(state, log=[dict(e) for e in state["log"]])
    if request["term"] < state["term"]:
        return new, {"term": state["term"], "success": False, "match_index": 0}
    if request["term"] != state["term"]:
        new["term"], new["voted_for"] = request["term"], None
    prev = request["prev_log_index"]
    if prev:
        if len(new["log"]) < prev or new["log"][prev - 1]["term"] != request["prev_log_term"]:
            return new, {"term": new["term"], "success": False, "match_index": 0}
    for offset, sent in enumerate(request["entries"]):
        index = prev + offset + 1  # Raft index
        if index <= len(new["log"]) and new["log"][index - 1]["term"] != sent["term"]:
            new["log"] = new["log"][: index - 1]
        if index > len(new["log"]):
            new["log"].append({"term": sent["term"], "command": sent["command"]})
    vouched = prev + len(request["entries"])
    new["commit_index"] = max(state["commit_index"], min(request["leader_commit"], vouched))
    return new, {"term": new["term"], "success": True, "match_index": vouched}
