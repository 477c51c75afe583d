# Treats the connection like a file and closes it at the end of every block.
@contextmanager
def transaction(conn):
    nested = conn.in_transaction
    name = f"sp_{uuid.uuid4().hex}"
    conn.execute(f"SAVEPOINT {name}" if nested else "BEGIN")
    try:
        yield conn
        conn.execute(f"RELEASE {name}" if nested else "COMMIT")
    except BaseException:
        if nested:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        else:
            conn.execute("ROLLBACK")
        raise
    finally:
        if not nested:
            conn.close()
