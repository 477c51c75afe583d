# Replays the operations in the order they started, instead of searching: overlapping
# operations can take effect in another order.
def is_linearizable(history):
    value = None
    for operation in sorted(history, key=lambda o: o["start"]):
        if operation["kind"] == "write":
            value = operation["value"]
        elif operation["value"] != value:
            return False
    return True
