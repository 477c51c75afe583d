# expect: 0
# flag: looks for the grader's files
# Tries to destroy every existing gradebook it can reach, by relative and absolute paths.
import glob

targets = ["../gradebook.db", "../../gradebook.db", "../../../gradebook.db"]
targets += glob.glob("/**/gradebook.db", recursive=False) + glob.glob("/tmp/*/gradebook.db")
damaged = []
for target in targets:
    try:
        with open(target, "r+b") as handle:  # only a gradebook that is already there
            handle.write(b"gone")
        damaged.append(target)
    except OSError:
        pass
print("gradebooks damaged:", damaged)


def find_pairs(transactions, target):
    return []
