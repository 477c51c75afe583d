# Counts the nesting itself instead of asking the connection: a transaction begun by someone
# else with conn.execute("BEGIN") is not seen, and BEGIN fails inside it.
class transaction:
    depth = 0

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.level = transaction.depth
        if self.level == 0:
            self.conn.execute("BEGIN")
        else:
            self.conn.execute(f"SAVEPOINT level{self.level}")
        transaction.depth += 1
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        transaction.depth -= 1
        if self.level == 0:
            try:
                self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        else:
            if exc_type is not None:
                self.conn.execute(f"ROLLBACK TO level{self.level}")
            self.conn.execute(f"RELEASE level{self.level}")
        return False
