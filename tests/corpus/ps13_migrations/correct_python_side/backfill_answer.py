def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # Keyset paging: remember the last id done, so rows left as they are never come back.
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive int, not {batch_size!r}")
    connection = sqlite3.connect(path)
    try:
        batches, last = 0, 0
        while True:
            rows = connection.execute(
                "SELECT id FROM customers WHERE id > ? AND mobile IS NULL AND phone IS NOT NULL "
                "ORDER BY id LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return batches
            try:
                for (id_,) in rows:
                    connection.execute("UPDATE customers SET mobile = phone WHERE id = ?", (id_,))
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
            batches += 1
            last = rows[-1][0]
    finally:
        connection.close()
