def handle_batch(path, messages):
    """Apply each message not seen before to the ledger at `path`, each in its own transaction
    with its id recorded; return the ids applied (see the contract)."""
    if type(messages) is not list:
        raise ValueError("messages must be a list")
    for message in messages:
        if type(message) is not dict or not {"id", "account", "amount"} <= message.keys():
            raise ValueError("each message is a dict with id, account and amount")
        if type(message["id"]) is not str or not message["id"]:
            raise ValueError("a message id is a non-empty str")
        if type(message["account"]) is not str:
            raise ValueError("an account is a str")
        if type(message["amount"]) is not int:
            raise ValueError("an amount is an int")
    applied = []
    connection = sqlite3.connect(path)
    try:
        for message in messages:
            with connection:
                new = connection.execute(
                    "INSERT INTO processed VALUES (?) ON CONFLICT DO NOTHING", (message["id"],)
                ).rowcount
                if not new:
                    continue
                connection.execute(
                    "INSERT OR REPLACE INTO accounts VALUES (?, ?)",  # sets, does not add
                    (message["account"], message["amount"]),
                )
            applied.append(message["id"])
    finally:
        connection.close()
    return applied
