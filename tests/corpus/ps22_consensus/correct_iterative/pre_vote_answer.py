# Each refusal on its own line, then the log comparison spelled out.
def pre_vote(state, request, heard_from_leader):
    reply = {"term": state["term"], "vote_granted": False}
    if heard_from_leader or request["term"] <= state["term"]:
        return reply
    my_last_term = state["log"][-1]["term"] if state["log"] else 0
    if request["last_log_term"] != my_last_term:
        reply["vote_granted"] = request["last_log_term"] > my_last_term
    else:
        reply["vote_granted"] = request["last_log_index"] >= len(state["log"])
    return reply
