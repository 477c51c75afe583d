# Prints each decision.
def require_role(role):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs.get("user") if "user" in kwargs else args[0]
            print("checking", role, "for", user)
            if user is None:
                raise NotAuthenticated("login required")
            if role not in user.roles:
                raise PermissionDenied(f"{user.name} needs the {role} role")
            return func(*args, **kwargs)

        return wrapper

    return decorate
