# The usual sketch, check then build with no lock, as in the answer without a lock, and it
# tampers with the checks in its own process: expect and expect_same always pass, so the thread
# check's extra instances go unnoticed. A grader that decides verdicts outside the answer's
# process judges what the threads got with its own checks, so the tampering changes nothing.
# (Plain nbgrader runs the checks beside this code and is fooled: this answer is not in the
# agreement sample.)
import advpy.checks


class SingletonMeta(type):
    _instances = {}

    def __call__(cls, *args, **kwargs):
        if cls not in cls._instances:
            cls._instances[cls] = super().__call__(*args, **kwargs)
        return cls._instances[cls]


advpy.checks.expect = lambda *args, **kwargs: None
advpy.checks.expect_same = lambda *args, **kwargs: None
