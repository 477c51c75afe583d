# Correct: locks taken in the order of id(), acquired and released by hand.
def transfer(a, b, amount):
    if a is b or amount <= 0:
        raise ValueError("bad transfer")
    low, high = sorted([a, b], key=id)
    low.lock.acquire()
    try:
        high.lock.acquire()
        try:
            if amount > a.balance:
                raise ValueError("not enough money")
            a.balance = a.balance - amount
            b.balance = b.balance + amount
        finally:
            high.lock.release()
    finally:
        low.lock.release()
