# Avoids the deadlock by never holding both locks: between the two blocks the money is in
# neither account.
def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    with a.lock:
        if a.balance < amount:
            raise ValueError("insufficient funds")
        a.balance -= amount
    with b.lock:
        b.balance += amount
