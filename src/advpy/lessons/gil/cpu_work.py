"""Pure-Python computing, in a module that imports nothing at all.

A worker process, or a sub-interpreter of Python 3.14's ``InterpreterPoolExecutor``, receives
a function by name and imports its module. Sub-interpreters with their own GIL cannot import
every extension module (NumPy, for one, refuses), so the function they run lives here, away
from :mod:`advpy.lessons.gil.workloads` and its NumPy import.
"""

from __future__ import annotations


def pure_python_work(amount: int) -> int:
    """Integer arithmetic in a plain Python loop of ``amount`` steps; holds the GIL throughout.

    Returns a checksum so the loop cannot be skipped and results can be compared.
    """
    total = 0
    for i in range(amount):
        total += i * i % 7
    return total
