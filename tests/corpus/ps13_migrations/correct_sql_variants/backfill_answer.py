def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # Explicit transactions: BEGIN and COMMIT by hand, one pair per batch.
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("bad batch_size")
    connection = sqlite3.connect(path, isolation_level=None)
    done = 0
    try:
        while True:
            connection.execute("BEGIN")
            try:
                changed = connection.execute(
                    "UPDATE customers SET mobile = phone WHERE id IN (SELECT id FROM customers "
                    "WHERE mobile IS NULL AND phone IS NOT NULL ORDER BY id LIMIT ?)",
                    (batch_size,),
                ).rowcount
            except Exception:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            if changed == 0:
                return done
            done += 1
    finally:
        connection.close()
