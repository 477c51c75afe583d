def place_order(path, order):
    """Explicit BEGIN and COMMIT; the seq read back with last_insert_rowid()."""
    if not isinstance(order, dict):
        raise ValueError("order must be a dict")
    oid = order.get("id")
    customer = order.get("customer")
    cents = order.get("cents")
    if not isinstance(oid, str) or oid == "":
        raise ValueError("bad id")
    if not isinstance(customer, str):
        raise ValueError("bad customer")
    if isinstance(cents, bool) or not isinstance(cents, int) or cents < 0:
        raise ValueError("bad cents")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT INTO orders (id, customer, cents) VALUES (?, ?, ?)", (oid, customer, cents)
            )
            conn.execute(
                "INSERT INTO outbox (event_id, topic, payload) VALUES (?, ?, ?)",
                (
                    f"order_placed:{oid}",
                    "order_placed",
                    json.dumps({"cents": cents, "customer": customer, "order_id": oid}, indent=1),
                ),
            )
            seq = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return seq
    finally:
        conn.close()
