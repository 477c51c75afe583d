# acquire() without try/finally: a refused transfer leaves both locks held.
def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    first, second = sorted((a, b), key=lambda account: account.number)
    first.lock.acquire()
    second.lock.acquire()
    if a.balance < amount:
        raise ValueError("insufficient funds")
    a.balance -= amount
    b.balance += amount
    second.lock.release()
    first.lock.release()
