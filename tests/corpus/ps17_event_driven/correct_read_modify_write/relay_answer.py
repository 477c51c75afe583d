def relay(shop_path, broker_path, batch_size):
    """Reads every unpublished row once, then walks it in slices of batch_size."""
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    shop = sqlite3.connect(shop_path)
    broker = sqlite3.connect(broker_path)
    count = 0
    try:
        pending = shop.execute(
            "SELECT seq, event_id, topic, payload FROM outbox WHERE NOT published ORDER BY seq"
        ).fetchall()
        for start in range(0, len(pending), batch_size):
            chunk = pending[start : start + batch_size]
            try:
                for row in chunk:
                    broker.execute(
                        "INSERT INTO messages (event_id, topic, payload) VALUES (?, ?, ?)", row[1:]
                    )
                broker.commit()
            except Exception:
                broker.rollback()
                raise
            try:
                for row in chunk:
                    shop.execute("UPDATE outbox SET published = 1 WHERE seq = ?", (row[0],))
                shop.commit()
            except Exception:
                shop.rollback()
                raise
            count += len(chunk)
        return count
    finally:
        broker.close()
        shop.close()
