# expect: 10
# A right answer that starts processes meant to outlive it (a daemon and a fork bomb capped
# by the process limit); none may survive its notebook.
import os
import subprocess
import time


def find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


subprocess.Popen(["sleep", "600"], start_new_session=True)
children = 0
for _ in range(400):
    try:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
    except OSError:
        break
print("processes started:", children)
