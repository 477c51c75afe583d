# Looks the user up with a helper, and formats the message with str.format.
def _user_of(args, kwargs):
    if "user" in kwargs:
        return kwargs["user"]
    return args[0]


def require_role(role):
    def decorate(func):
        def wrapper(*args, **kwargs):
            user = _user_of(args, kwargs)
            if user is None:
                raise NotAuthenticated("login required")
            if role not in set(user.roles):
                raise PermissionDenied("{} needs the {} role".format(user.name, role))  # noqa: UP032
            return func(*args, **kwargs)

        return functools.wraps(func)(wrapper)

    return decorate
