def relay(shop_path, broker_path, batch_size):
    """Explicit transactions on both files, rows inserted one by one inside the batch's."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError("batch_size must be a positive int")
    shop = sqlite3.connect(shop_path, isolation_level=None)
    try:
        broker = sqlite3.connect(broker_path, isolation_level=None)
        try:
            total = 0
            while True:
                batch = list(
                    shop.execute(
                        "SELECT seq, event_id, topic, payload FROM outbox "
                        "WHERE published = 0 ORDER BY seq ASC LIMIT ?",
                        (batch_size,),
                    )
                )
                if len(batch) == 0:
                    break
                broker.execute("BEGIN")
                try:
                    for _seq, event_id, topic, payload in batch:
                        broker.execute(
                            "INSERT INTO messages (event_id, topic, payload) VALUES (?, ?, ?)",
                            (event_id, topic, payload),
                        )
                    broker.execute("COMMIT")
                except BaseException:
                    broker.execute("ROLLBACK")
                    raise
                shop.execute("BEGIN")
                try:
                    marks = ",".join("?" for _ in batch)
                    shop.execute(
                        f"UPDATE outbox SET published = 1 WHERE seq IN ({marks})",
                        [row[0] for row in batch],
                    )
                    shop.execute("COMMIT")
                except BaseException:
                    shop.execute("ROLLBACK")
                    raise
                total += len(batch)
            return total
        finally:
            broker.close()
    finally:
        shop.close()
