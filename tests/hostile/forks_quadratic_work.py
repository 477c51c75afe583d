# expect: 8
# A correct but quadratic answer that does its work in a forked child, so that the CPU time
# of the process the test runs in stays small. Only the growth check may fail.
import marshal
import os


def _pairs(transactions, target):
    pairs = []
    for j, num in enumerate(transactions):
        if any(earlier == target - num for earlier in transactions[:j]):
            pairs.append((target - num, num))
    return pairs


def find_pairs(transactions, target):
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reader)
        data = marshal.dumps(_pairs(transactions, target))
        while data:
            data = data[os.write(writer, data) :]
        os._exit(0)
    os.close(writer)
    chunks = []
    while True:
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(reader)
    os.waitpid(child, 0)
    return [tuple(pair) for pair in marshal.loads(b"".join(chunks))]
