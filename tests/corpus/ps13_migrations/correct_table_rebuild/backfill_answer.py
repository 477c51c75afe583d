def backfill_mobile(path, batch_size):
    """Copy phone into mobile for the rows that need it, batch_size rows per committed
    transaction; return the number of batches committed."""
    # rowcount-free: the selected ids say whether anything is left.
    if not (type(batch_size) is int and batch_size >= 1):
        raise ValueError("batch_size must be an int >= 1")
    from contextlib import closing

    with closing(sqlite3.connect(path)) as connection:
        count = 0
        while True:
            ids = [
                i
                for (i,) in connection.execute(
                    "SELECT id FROM customers WHERE phone IS NOT NULL AND mobile IS NULL "
                    "ORDER BY id LIMIT ?",
                    (batch_size,),
                )
            ]
            if not ids:
                break
            with connection:
                connection.executemany(
                    "UPDATE customers SET mobile = phone WHERE id = ?", [(i,) for i in ids]
                )
            count += 1
        return count
