def relay(shop_path, broker_path, batch_size):
    """Marks each batch published first, then sends it: a broker failure loses the batch."""
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    shop = sqlite3.connect(shop_path)
    broker = sqlite3.connect(broker_path)
    marked = 0
    try:
        while True:
            rows = shop.execute(
                "SELECT seq, event_id, topic, payload FROM outbox WHERE published = 0 "
                "ORDER BY seq LIMIT ?",
                (batch_size,),
            ).fetchall()
            if not rows:
                return marked
            with shop:
                shop.executemany(
                    "UPDATE outbox SET published = 1 WHERE seq = ?", [(r[0],) for r in rows]
                )
            marked += len(rows)
            with broker:
                broker.executemany(
                    "INSERT INTO messages (event_id, topic, payload) VALUES (?, ?, ?)",
                    [r[1:] for r in rows],
                )
    finally:
        shop.close()
        broker.close()
