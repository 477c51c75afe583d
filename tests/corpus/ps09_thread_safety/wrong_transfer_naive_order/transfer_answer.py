# Takes a's lock, then b's: two opposite transfers each hold one lock and wait for the other.
def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    with a.lock:
        with b.lock:
            if a.balance < amount:
                raise ValueError("insufficient funds")
            a.balance -= amount
            b.balance += amount
