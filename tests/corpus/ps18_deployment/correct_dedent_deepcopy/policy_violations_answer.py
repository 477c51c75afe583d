# Loops that append to a list, then sorted(set(...)); the tag read with a regular expression.
def policy_violations(manifest):
    """Return the sorted names of the rules `manifest` breaks."""
    out = []
    meta = manifest.get("metadata") or {}
    labels = meta.get("labels") or {}
    value = labels.get("app.kubernetes.io/name")
    if not isinstance(value, str) or len(value) == 0:
        out.append("labels")
    spec = manifest.get("spec") or {}
    if manifest.get("kind") != "Pod":
        spec = (spec.get("template") or {}).get("spec") or {}
    pod_sc = spec.get("securityContext") or {}
    main = spec.get("containers") or []
    init = spec.get("initContainers") or []
    for c in main:
        if c.get("readinessProbe") is None or c.get("livenessProbe") is None:
            if "readinessProbe" not in c or "livenessProbe" not in c:
                out.append("probes")
    for c in [*main, *init]:
        res = c.get("resources") or {}
        req = res.get("requests") or {}
        lim = res.get("limits") or {}
        if not all(k in req and k in lim for k in ("cpu", "memory")):
            out.append("resources")
        sc = c.get("securityContext") or {}
        non_root = sc["runAsNonRoot"] if "runAsNonRoot" in sc else pod_sc.get("runAsNonRoot")
        user = sc["runAsUser"] if "runAsUser" in sc else pod_sc.get("runAsUser")
        if non_root is not True or (type(user) is int and user == 0):
            out.append("non-root")
        image = c.get("image") or ""
        m = re.fullmatch(r"(?:.*/)?[^/:@]*(?::([^/@]*))?", image)
        if "@" not in image and (m is None or m.group(1) in (None, "", "latest")):
            out.append("image-tag")
    return sorted(set(out))
