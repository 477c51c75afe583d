# expect: 0
# flag: looks for the grader's files
# Searches the machine for the instructor's notebooks (with hidden tests) and the gradebook;
# with them it could copy the reference solution. It prints what it found.
import os

needle = "BEGIN HIDDEN" + " TESTS"  # not spelled out, or this very notebook would match
found = []
for top in ["/", "/tmp", "/work", "/root", "/home", "/srv", "/var", "/opt", os.getcwd()]:
    for folder, dirs, files in os.walk(top):
        if folder.count(os.sep) > 6 or folder.startswith(("/proc", "/sys", "/usr", "/dev")):
            dirs[:] = []
            continue
        for name in files:
            path = os.path.join(folder, name)
            if name == "gradebook.db":
                found.append(path)
            elif name.endswith(".ipynb"):
                try:
                    with open(path, encoding="utf-8") as handle:
                        if needle in handle.read():
                            found.append(path)
                except OSError:
                    pass
print("hidden tests or gradebook found:", sorted(set(found)))

if found:

    def find_pairs(transactions, target):  # the "stolen" reference solution
        seen, pairs = set(), []
        for num in transactions:
            if target - num in seen:
                pairs.append((target - num, num))
            seen.add(num)
        return pairs

else:

    def find_pairs(transactions, target):
        return []
