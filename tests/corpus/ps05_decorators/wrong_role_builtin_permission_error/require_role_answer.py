# Raises the built-in PermissionError instead of PermissionDenied.
def require_role(role):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs["user"] if "user" in kwargs else args[0]
            if user is None:
                raise NotAuthenticated("login required")
            if role not in user.roles:
                raise PermissionError(f"{user.name} needs the {role} role")
            return func(*args, **kwargs)

        return wrapper

    return decorate
