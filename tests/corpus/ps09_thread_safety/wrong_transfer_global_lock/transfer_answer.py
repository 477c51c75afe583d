# One lock for the whole bank instead of the accounts' own locks.
BANK = threading.Lock()


def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    with BANK:
        if a.balance < amount:
            raise ValueError("insufficient funds")
        a.balance -= amount
        b.balance += amount
