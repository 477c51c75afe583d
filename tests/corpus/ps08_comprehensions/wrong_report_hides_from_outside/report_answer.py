# fails: report_tests_memory
# Keeps every line, blinds tracemalloc in its own process, and also makes its process
# impossible to inspect from outside (not "dumpable": its /proc files then belong to root), so
# that nothing could read how much memory it holds. Plain nbgrader's check is fooled; under
# advpy grade a memory figure that cannot be read fails the check.
import ctypes
import tracemalloc

tracemalloc.get_traced_memory = lambda: (0, 0)
ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0


def report(lines):
    kept = [line for line in lines if line.strip() and not line.startswith("#")]
    errors = [line for line in kept if int(line.split()[2]) >= 500]
    return {
        "requests": len(kept),
        "errors": len(errors),
        "error_bytes": sum(int(line.split()[3]) for line in errors),
    }
