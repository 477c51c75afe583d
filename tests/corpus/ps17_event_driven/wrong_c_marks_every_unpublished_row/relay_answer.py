def relay(shop_path, broker_path, batch_size):
    """Publish the unpublished outbox rows to the broker in seq order, batch by batch, marking
    each batch only after the broker committed it; return the number of rows marked."""
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    shop = sqlite3.connect(shop_path)
    broker = None
    marked = 0
    try:
        broker = sqlite3.connect(broker_path)
        while True:
            rows = shop.execute(
                "SELECT seq, event_id, topic, payload FROM outbox WHERE published = 0 "
                "ORDER BY seq LIMIT ?",
                (batch_size,),
            ).fetchall()
            if not rows:
                return marked
            with broker:
                broker.executemany(
                    "INSERT INTO messages (event_id, topic, payload) VALUES (?, ?, ?)",
                    [row[1:] for row in rows],
                )
            with shop:
                shop.execute("UPDATE outbox SET published = 1 WHERE published = 0")
            marked += len(rows)
    finally:
        shop.close()
        if broker is not None:
            broker.close()
