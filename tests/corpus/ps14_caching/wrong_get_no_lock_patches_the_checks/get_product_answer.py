# Plain cache-aside with no lock (every concurrent miss reads the database: the stampede), and
# it tampers with the checks in its own process: expect and expect_same let every check that
# speaks of concurrency or of the lock pass. A grader that decides verdicts outside the answer's
# process judges there what the requests got and read, so the tampering changes nothing.
# (Plain nbgrader runs the checks beside this code and is fooled: this answer is not in the
# agreement sample.)
import advpy.checks

_real_expect, _real_expect_same = advpy.checks.expect, advpy.checks.expect_same


def _about_the_lock(message):
    return "concurren" in message or "lock" in message


def _lenient_expect(condition, message):
    if not _about_the_lock(message):
        _real_expect(condition, message)


def _lenient_expect_same(actual, expected, message, *, show=False):
    if not _about_the_lock(message):
        _real_expect_same(actual, expected, message, show=show)


advpy.checks.expect = _lenient_expect
advpy.checks.expect_same = _lenient_expect_same


def get_product(r, db, product_id, ttl, wait=2.0):
    key = f"product:{product_id}"
    cached = r.get(key)
    if cached is not None:
        return json.loads(cached)["value"]
    version, value = db.read(product_id)
    r.set(key, entry(version, value), nx=True, ex=ttl)
    return value
