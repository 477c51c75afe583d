# Structural pattern matching for the containers, a frozenset of names.
def shape_record(logger, method_name, event_dict):
    """Shape one record."""
    secrets = frozenset(SECRET_NAMES)

    def is_secret(key):
        match key:
            case str():
                parts = key.lower().replace("-", "_")
                return parts in secrets or any(parts.endswith(f"_{name}") for name in secrets)
            case _:
                return False

    def walk(value):
        match value:
            case dict():
                return {k: (REDACTED if is_secret(k) else walk(v)) for k, v in value.items()}
            case list():
                return [walk(v) for v in value]
            case _:
                return value

    level = {"warn": "warning", "exception": "error"}.get(method_name.lower(), method_name.lower())
    return {**walk(event_dict), "level": level}
