# Rolls back but forgets to re-raise: the generator returns normally, so @contextmanager
# swallows the exception and the caller never learns that the work was undone.
@contextmanager
def transaction(conn):
    nested = conn.in_transaction
    name = f"sp_{uuid.uuid4().hex}"
    conn.execute(f"SAVEPOINT {name}" if nested else "BEGIN")
    try:
        yield conn
    except BaseException:
        if nested:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        else:
            conn.execute("ROLLBACK")
    else:
        conn.execute(f"RELEASE {name}" if nested else "COMMIT")
