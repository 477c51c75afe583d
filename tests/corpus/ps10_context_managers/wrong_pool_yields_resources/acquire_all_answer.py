# Gives the block the resources instead of what their __enter__ returned (the same thing for
# open files, which is why it looks right).
@contextmanager
def acquire_all(factories):
    with ExitStack() as stack:
        resources = []
        for make in factories:
            resource = make()
            stack.enter_context(resource)
            resources.append(resource)
        yield resources
