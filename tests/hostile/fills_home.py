# expect: 10
# A right answer that writes 300 MB into its home folder in files under the per-file limit,
# then as much again into /tmp and /dev/shm: what it may write is bounded as a whole.
from pathlib import Path


def find_pairs(transactions, target):
    seen, pairs = set(), []
    for num in transactions:
        if target - num in seen:
            pairs.append((target - num, num))
        seen.add(num)
    return pairs


written = 0
block = b"x" * (1 << 20)
for folder in (Path.home(), Path("/tmp"), Path("/dev/shm")):
    for number in range(10):
        try:
            with open(folder / f"filler-{number}", "wb") as handle:
                for _ in range(30):
                    handle.write(block)
                    written += 1
        except OSError:
            break
print(f"wrote {written} MB in all")
for folder in (Path.home(), Path("/tmp"), Path("/dev/shm")):
    for number in range(10):
        (folder / f"filler-{number}").unlink(missing_ok=True)
