# Wraps every error in its own exception type: callers that catch ValueError no longer can.
class TransactionFailed(Exception):
    pass


@contextmanager
def transaction(conn):
    nested = conn.in_transaction
    name = f"sp_{uuid.uuid4().hex}"
    conn.execute(f"SAVEPOINT {name}" if nested else "BEGIN")
    try:
        yield conn
    except BaseException as error:
        if nested:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        else:
            conn.execute("ROLLBACK")
        raise TransactionFailed("the transaction was rolled back") from error
    conn.execute(f"RELEASE {name}" if nested else "COMMIT")
