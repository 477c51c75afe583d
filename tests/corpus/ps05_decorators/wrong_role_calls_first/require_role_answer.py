# Calls the function first and checks afterwards.
def require_role(role):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            result = func(*args, **kwargs)
            user = kwargs["user"] if "user" in kwargs else args[0]
            if user is None:
                raise NotAuthenticated("login required")
            if role not in user.roles:
                raise PermissionDenied(f"{user.name} needs the {role} role")
            return result

        return wrapper

    return decorate
