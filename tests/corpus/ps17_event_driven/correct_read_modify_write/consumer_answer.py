def _check(message):
    if type(message) is not dict:
        return False
    if "id" not in message or "account" not in message or "amount" not in message:
        return False
    return (
        type(message["id"]) is str
        and len(message["id"]) > 0
        and type(message["account"]) is str
        and type(message["amount"]) is int
    )


def handle_batch(path, messages):
    """Reads the balance, writes the new one; the check and the writes in one transaction."""
    if type(messages) is not list or not all(_check(m) for m in messages):
        raise ValueError("malformed batch")
    result = []
    db = sqlite3.connect(path)
    try:
        for m in messages:
            try:
                if db.execute(
                    "SELECT COUNT(*) FROM processed WHERE message_id = ?", (m["id"],)
                ).fetchone()[0]:
                    db.rollback()
                    continue
                row = db.execute(
                    "SELECT balance FROM accounts WHERE account = ?", (m["account"],)
                ).fetchone()
                if row is None:
                    db.execute("INSERT INTO accounts VALUES (?, ?)", (m["account"], m["amount"]))
                else:
                    db.execute(
                        "UPDATE accounts SET balance = ? WHERE account = ?",
                        (row[0] + m["amount"], m["account"]),
                    )
                db.execute("INSERT INTO processed VALUES (?)", (m["id"],))
                db.commit()
            except Exception:
                db.rollback()
                raise
            result.append(m["id"])
    finally:
        db.close()
    return result
