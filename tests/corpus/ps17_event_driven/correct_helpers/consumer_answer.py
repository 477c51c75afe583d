REQUIRED = {"id": str, "account": str, "amount": int}


def _valid(message):
    return (
        type(message) is dict
        and all(key in message and type(message[key]) is kind for key, kind in REQUIRED.items())
        and message["id"] != ""
    )


def _apply(connection, message):
    """One message, one transaction; True when it was new."""
    with connection:
        cursor = connection.execute(
            "INSERT OR IGNORE INTO processed (message_id) VALUES (?)", (message["id"],)
        )
        if cursor.rowcount != 1:
            return False
        connection.execute(
            "INSERT INTO accounts (account, balance) VALUES (?, 0) ON CONFLICT DO NOTHING",
            (message["account"],),
        )
        connection.execute(
            "UPDATE accounts SET balance = balance + ? WHERE account = ?",
            (message["amount"], message["account"]),
        )
        return True


def handle_batch(path, messages):
    """Validate everything, then apply message by message."""
    if type(messages) is not list:
        raise ValueError("messages must be a list")
    for message in messages:
        if not _valid(message):
            raise ValueError("malformed message")
    connection = sqlite3.connect(path)
    try:
        return [message["id"] for message in messages if _apply(connection, message)]
    finally:
        connection.close()
