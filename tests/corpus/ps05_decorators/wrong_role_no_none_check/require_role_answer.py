# Forgets the missing user: None.roles raises AttributeError.
def require_role(role):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs["user"] if "user" in kwargs else args[0]
            if role not in user.roles:
                raise PermissionDenied(f"{user.name} needs the {role} role")
            return func(*args, **kwargs)

        return wrapper

    return decorate
