# Uses the method name as the level: log.warn gives 'warn' and log.exception 'exception'.
def shape_record(logger, method_name, event_dict):
    """A structlog processor: a new event dict with "level" set from method_name and every
    secret's value, at any depth, replaced by REDACTED."""

    def is_secret(key):
        if not isinstance(key, str):
            return False
        name = key.lower().replace("-", "_")
        return any(name == s or name.endswith("_" + s) for s in SECRET_NAMES)

    def clean(value):
        if isinstance(value, dict):
            return {k: REDACTED if is_secret(k) else clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    shaped = clean(event_dict)
    level = method_name.lower()
    shaped["level"] = level
    return shaped
