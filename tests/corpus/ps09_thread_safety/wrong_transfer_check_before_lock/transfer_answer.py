# Checks the funds before taking the locks: another transfer can spend the money between
# the check and the withdrawal.
def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    if a.balance < amount:
        raise ValueError("insufficient funds")
    first, second = sorted((a, b), key=lambda account: account.number)
    with first.lock, second.lock:
        a.balance -= amount
        b.balance += amount
