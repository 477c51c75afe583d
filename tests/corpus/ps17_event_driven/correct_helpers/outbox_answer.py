def place_order(path, order):
    """Both rows through one `with` block; the outbox row's seq read back by event id."""
    valid = (
        type(order) is dict
        and type(order.get("id")) is str
        and len(order["id"]) > 0
        and type(order.get("customer")) is str
        and type(order.get("cents")) is int
        and order["cents"] >= 0
    )
    if not valid:
        raise ValueError("invalid order")
    event_id = "order_placed:" + order["id"]
    body = {key: order[key] for key in ("customer", "cents")}
    body["order_id"] = order["id"]
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute(
                "INSERT INTO orders VALUES (?, ?, ?)",
                (order["id"], order["customer"], order["cents"]),
            )
            connection.execute(
                "INSERT INTO outbox (event_id, topic, payload) VALUES (?, ?, ?)",
                (event_id, "order_placed", json.dumps(body, separators=(",", ":"))),
            )
        (seq,) = connection.execute(
            "SELECT seq FROM outbox WHERE event_id = ?", (event_id,)
        ).fetchone()
        return seq
    finally:
        connection.close()
