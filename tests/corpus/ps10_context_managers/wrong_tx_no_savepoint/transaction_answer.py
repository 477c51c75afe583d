# Nested blocks simply join the outer transaction: an inner failure cannot be undone alone.
@contextmanager
def transaction(conn):
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
