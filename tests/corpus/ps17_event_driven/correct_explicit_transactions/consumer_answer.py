def handle_batch(path, messages):
    """Autocommit mode with explicit BEGIN / COMMIT / ROLLBACK around each message."""
    if not isinstance(messages, list):
        raise ValueError("messages must be a list")
    required = ("id", "account", "amount")
    for m in messages:
        if not isinstance(m, dict) or any(key not in m for key in required):
            raise ValueError("malformed message")
        if not (isinstance(m["id"], str) and m["id"] != ""):
            raise ValueError("bad id")
        if not isinstance(m["account"], str):
            raise ValueError("bad account")
        if isinstance(m["amount"], bool) or not isinstance(m["amount"], int):
            raise ValueError("bad amount")
    done = []
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for m in messages:
            conn.execute("BEGIN")
            try:
                if conn.execute(
                    "SELECT 1 FROM processed WHERE message_id = ?", (m["id"],)
                ).fetchone():
                    conn.execute("ROLLBACK")
                    continue
                conn.execute("INSERT INTO processed (message_id) VALUES (?)", (m["id"],))
                updated = conn.execute(
                    "UPDATE accounts SET balance = balance + ? WHERE account = ?",
                    (m["amount"], m["account"]),
                ).rowcount
                if updated == 0:
                    conn.execute(
                        "INSERT INTO accounts (account, balance) VALUES (?, ?)",
                        (m["account"], m["amount"]),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            done.append(m["id"])
    finally:
        conn.close()
    return done
