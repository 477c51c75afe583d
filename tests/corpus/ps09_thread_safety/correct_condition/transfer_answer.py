# Correct: sorted by account number, both locks in one with statement.
def transfer(a, b, amount):
    if amount <= 0:
        raise ValueError("amount must be positive")
    if a.number == b.number:
        raise ValueError("a transfer needs two different accounts")
    first, second = sorted((a, b), key=lambda account: account.number)
    with first.lock, second.lock:
        if a.balance - amount < 0:
            raise ValueError("insufficient funds")
        a.balance, b.balance = a.balance - amount, b.balance + amount
