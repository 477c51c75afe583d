# Finds the user by binding the call to the function's signature.
def require_role(role):
    def decorate(func):
        signature = inspect.signature(func)
        first = next(iter(signature.parameters))

        @functools.wraps(func)
        def guarded(*args, **kwargs):
            user = signature.bind_partial(*args, **kwargs).arguments.get(first)
            if user is None:
                raise NotAuthenticated("login required")
            if role in user.roles:
                return func(*args, **kwargs)
            raise PermissionDenied("%s needs the %s role" % (user.name, role))  # noqa: UP031

        return guarded

    return decorate
