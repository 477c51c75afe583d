# One small predicate per rule, a dict from rule name to predicate.
def _get(node, *keys):
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return {}
    return node


def _effective(box, pod, key):
    own = _get(box, "securityContext")
    return own[key] if key in own else _get(pod, "securityContext").get(key)


def _unpinned(image):
    if "@" in image:
        return False
    last = image.split("/")[-1]
    return ":" not in last or last.split(":", 1)[1] in ("", "latest")


def policy_violations(manifest):
    """Return the sorted names of the rules `manifest` breaks."""
    pod = (
        _get(manifest, "spec")
        if manifest.get("kind") == "Pod"
        else _get(manifest, "spec", "template", "spec")
    )
    boxes = list(pod.get("containers") or [])
    every = boxes + list(pod.get("initContainers") or [])
    name = _get(manifest, "metadata", "labels").get("app.kubernetes.io/name")
    rules = {
        "labels": not (isinstance(name, str) and name != ""),
        "resources": any(
            not _get(b, "resources", kind).get(r) and r not in _get(b, "resources", kind)
            for b in every
            for kind in ("requests", "limits")
            for r in ("cpu", "memory")
        ),
        "probes": any("readinessProbe" not in b or "livenessProbe" not in b for b in boxes),
        "non-root": any(
            _effective(b, pod, "runAsNonRoot") is not True
            or (
                _effective(b, pod, "runAsUser") == 0
                and type(_effective(b, pod, "runAsUser")) is int
            )
            for b in every
        ),
        "image-tag": any(_unpinned(str(b.get("image") or "")) for b in every),
    }
    return sorted(rule for rule, broken in rules.items() if broken)
