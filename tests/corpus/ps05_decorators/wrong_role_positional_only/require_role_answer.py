# Looks for the user only in the first positional argument.
def require_role(role):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = args[0]
            if user is None:
                raise NotAuthenticated("login required")
            if role not in user.roles:
                raise PermissionDenied(f"{user.name} needs the {role} role")
            return func(*args, **kwargs)

        return wrapper

    return decorate
