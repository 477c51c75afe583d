# Correct: no order at all, but never waits while holding a lock: take the first lock, try
# the second for a moment, and if it is busy let go of both and try again a little later.
import random


def transfer(a, b, amount):
    if a is b:
        raise ValueError("same account")
    if amount <= 0:
        raise ValueError("amount must be positive")
    while True:
        with a.lock:
            if b.lock.acquire(timeout=0.001):
                try:
                    if a.balance < amount:
                        raise ValueError("insufficient funds")
                    a.balance -= amount
                    b.balance += amount
                    return
                finally:
                    b.lock.release()
        time.sleep(random.random() / 1000)
