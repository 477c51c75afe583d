def handle_batch(path, messages):
    """Apply each new message; validation happens message by message, after opening."""
    if type(messages) is not list:
        raise ValueError("messages must be a list")
    applied = []
    connection = sqlite3.connect(path)
    try:
        for message in messages:
            if type(message) is not dict or not {"id", "account", "amount"} <= message.keys():
                raise ValueError("each message is a dict with id, account and amount")
            if type(message["id"]) is not str or not message["id"]:
                raise ValueError("a message id is a non-empty str")
            if type(message["account"]) is not str or type(message["amount"]) is not int:
                raise ValueError("bad account or amount")
            with connection:
                if not connection.execute(
                    "INSERT INTO processed VALUES (?) ON CONFLICT DO NOTHING", (message["id"],)
                ).rowcount:
                    continue
                connection.execute(
                    "INSERT INTO accounts VALUES (?, ?) ON CONFLICT (account) "
                    "DO UPDATE SET balance = balance + excluded.balance",
                    (message["account"], message["amount"]),
                )
            applied.append(message["id"])
    finally:
        connection.close()
    return applied
