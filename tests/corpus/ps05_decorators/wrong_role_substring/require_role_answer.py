# Accepts any role that contains the required name (auditors for auditor).
def require_role(role):
    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            user = kwargs["user"] if "user" in kwargs else args[0]
            if user is None:
                raise NotAuthenticated("login required")
            if not any(role in held for held in user.roles):
                raise PermissionDenied(f"{user.name} needs the {role} role")
            return func(*args, **kwargs)

        return wrapper

    return decorate
