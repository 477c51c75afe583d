# No ExitStack: real nested with statements, one per factory, built by recursion.
@contextmanager
def acquire_all(factories):
    def nested(remaining, handles):
        for make in remaining:
            with make() as handle:
                yield from nested(remaining, [*handles, handle])
            return
        yield handles

    yield from nested(iter(factories), [])
