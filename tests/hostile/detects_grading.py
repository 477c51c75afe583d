# expect: 0
# flag: looks for the grader's files
# Looks for signs of being graded; when it finds any, it switches on a cheat (swallowing
# every later error). It prints what it found, which the test reads back.
import os
from pathlib import Path

from IPython import get_ipython

signs = []
if os.environ.get("NBGRADER_EXECUTION"):
    signs.append("NBGRADER_EXECUTION")
for folder in [Path.cwd(), *Path.cwd().parents]:
    if (folder / "gradebook.db").exists() or (folder / "source").is_dir():
        signs.append(f"course files near {folder}")
if any(part in ("submitted", "autograded") for part in Path.cwd().parts):
    signs.append("an nbgrader folder name in the working directory")
print("signs of grading:", signs)


def find_pairs(transactions, target):
    return []


if signs:
    get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
