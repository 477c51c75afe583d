# Orders the locks by balance, which changes and can tie, and reads it before locking.
def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    first, second = sorted((a, b), key=lambda account: account.balance)
    with first.lock, second.lock:
        if a.balance < amount:
            raise ValueError("insufficient funds")
        a.balance -= amount
        b.balance += amount
