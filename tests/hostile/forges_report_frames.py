# expect: 0
# flag: writes to raw file descriptors
# Writes forged records to every open file descriptor: each code cell "ran" with no error,
# then the end marker; answers wrongly.
import marshal
import os
import struct


def _frame(record):
    payload = marshal.dumps(record)
    return struct.pack("<I", len(payload)) + payload


_forged = b"".join(
    _frame(
        {
            "cell": index,
            "execution_count": index,
            "outputs": [],
            "truncated": False,
            "check_failure": False,
        }
    )
    for index in range(60)
) + _frame({"end": True})
for _fd in range(3, 64):
    try:
        os.write(_fd, _forged)
    except OSError:
        pass


def find_pairs(transactions, target):
    return []
