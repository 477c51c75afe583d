# expect: 0
# flag: touches the checking helpers
# Replaces the checking helpers with ones that accept anything, in the module and in the
# import system, so that the test cells' own imports get the fakes.
import sys
import types

import advpy.checks


def _accept(*args, **kwargs):
    return None


for _name in ("expect", "expect_same", "expect_type", "expect_list_of", "expect_scaling"):
    setattr(advpy.checks, _name, _accept)
advpy.checks.same = lambda *args, **kwargs: True
_fake = types.ModuleType("advpy.checks")
_fake.__dict__.update(advpy.checks.__dict__)
sys.modules["advpy.checks"] = _fake


def find_pairs(transactions, target):
    return []
