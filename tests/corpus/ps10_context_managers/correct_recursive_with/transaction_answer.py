# try/finally with a flag instead of except/raise; printing what it does.
@contextmanager
def transaction(conn):
    nested = conn.in_transaction
    name = "sp_" + uuid.uuid4().hex
    conn.execute(f"SAVEPOINT {name}" if nested else "BEGIN")
    print("begin", "savepoint" if nested else "transaction")
    done = False
    try:
        yield conn
        conn.execute(f"RELEASE {name}" if nested else "COMMIT")
        done = True
    finally:
        if not done:
            print("undo")
            if nested:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
            else:
                conn.execute("ROLLBACK")
