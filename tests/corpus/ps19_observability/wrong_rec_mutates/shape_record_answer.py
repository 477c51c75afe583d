# Redacts in place: the caller's dict (and whatever else holds it) loses its values.
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

    def scrub(value):
        if isinstance(value, dict):
            for k in value:
                if is_secret(k):
                    value[k] = REDACTED
                else:
                    scrub(value[k])
        elif isinstance(value, list):
            for item in value:
                scrub(item)

    scrub(event_dict)
    shaped = event_dict
    level = method_name.lower()
    shaped["level"] = {"warn": "warning", "exception": "error"}.get(level, level)
    return shaped
