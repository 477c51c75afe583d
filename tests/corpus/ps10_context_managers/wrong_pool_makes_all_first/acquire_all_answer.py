# Calls every factory first, then enters the resources: objects made by later factories exist
# before the earlier ones are entered, and a failing factory leaves the made ones behind.
@contextmanager
def acquire_all(factories):
    resources = [make() for make in factories]
    with ExitStack() as stack:
        yield [stack.enter_context(resource) for resource in resources]
