# expect: 0
# flag: time limit
# A right answer, then a loop that ignores interrupts and termination (it sleeps rather than
# spins, so that it does not slow down the rest of the class while it waits to be killed).
import signal
import time


def find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


for _signal in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
    signal.signal(_signal, signal.SIG_IGN)
while True:
    time.sleep(0.5)
