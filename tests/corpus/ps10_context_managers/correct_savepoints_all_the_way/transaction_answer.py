# Savepoints only: outside a transaction SAVEPOINT begins one, and releasing the outermost
# savepoint commits it. One fixed name is enough, because ROLLBACK TO and RELEASE act on the
# innermost savepoint of that name.
@contextmanager
def transaction(conn):
    conn.execute("SAVEPOINT block")
    try:
        yield conn
        conn.execute("RELEASE block")
    except BaseException:
        conn.execute("ROLLBACK TO block")
        conn.execute("RELEASE block")
        raise
