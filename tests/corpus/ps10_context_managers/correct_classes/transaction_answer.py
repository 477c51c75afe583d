# Classes instead of generators: a transaction object that keeps its own savepoint name.
import itertools

_numbers = itertools.count(1)


class transaction:
    def __init__(self, conn):
        self.conn = conn
        self.savepoint = None

    def __enter__(self):
        if self.conn.in_transaction:
            self.savepoint = f"level_{next(_numbers)}"
            self.conn.execute(f"SAVEPOINT {self.savepoint}")
        else:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if self.savepoint is not None:
            if exc_type is not None:
                self.conn.execute(f"ROLLBACK TO SAVEPOINT {self.savepoint}")
            self.conn.execute(f"RELEASE SAVEPOINT {self.savepoint}")
            return False
        if exc_type is not None:
            self.conn.rollback()
            return False
        try:
            self.conn.commit()
        except BaseException:
            self.conn.rollback()
            raise
        return False
