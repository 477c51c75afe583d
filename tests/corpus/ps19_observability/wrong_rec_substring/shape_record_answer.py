# Redacts every name that contains a secret name: tokens_used and secretary disappear too.
def shape_record(logger, method_name, event_dict):
    """A structlog processor: a new event dict with "level" set from method_name and every
    secret's value, at any depth, replaced by REDACTED."""

    def is_secret(key):
        if not isinstance(key, str):
            return False
        name = key.lower().replace("-", "_")
        return any(s in name for s in SECRET_NAMES)

    def clean(value):
        if isinstance(value, dict):
            return {k: REDACTED if is_secret(k) else clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    shaped = clean(event_dict)
    level = method_name.lower()
    shaped["level"] = {"warn": "warning", "exception": "error"}.get(level, level)
    return shaped
