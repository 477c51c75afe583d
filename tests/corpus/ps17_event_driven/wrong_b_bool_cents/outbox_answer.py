def place_order(path, order):
    """Write the order and its order_placed event in one transaction; return the outbox seq."""
    if type(order) is not dict:
        raise ValueError("an order is a dict")
    order_id, customer, cents = order.get("id"), order.get("customer"), order.get("cents")
    if type(order_id) is not str or not order_id or type(customer) is not str:
        raise ValueError("an order has a non-empty str id and a str customer")
    if not isinstance(cents, int) or cents < 0:
        raise ValueError("cents is an int of at least 0")
    payload = json.dumps({"order_id": order_id, "customer": customer, "cents": cents})
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("INSERT INTO orders VALUES (?, ?, ?)", (order_id, customer, cents))
            cursor = connection.execute(
                "INSERT INTO outbox (event_id, topic, payload) VALUES (?, 'order_placed', ?)",
                ("order_placed:" + order_id, payload),
            )
        return cursor.lastrowid
    finally:
        connection.close()
