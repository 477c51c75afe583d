# Orders the locks but forgets a transfer to the same account: it takes one Lock twice.
def transfer(a, b, amount):
    if amount <= 0:
        raise ValueError("amount must be positive")
    first, second = sorted((a, b), key=lambda account: account.number)
    with first.lock, second.lock:
        if a.balance < amount:
            raise ValueError("insufficient funds")
        a.balance -= amount
        b.balance += amount
