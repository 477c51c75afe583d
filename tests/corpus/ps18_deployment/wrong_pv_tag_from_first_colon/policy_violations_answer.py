# Reads the tag after the first ':' of the whole image: a registry port looks like a tag.
def policy_violations(manifest):
    """Return the sorted names of the rules (resources, probes, non-root, image-tag, labels)
    that `manifest` breaks, each once; [] when it breaks none."""

    def part(node, key):
        value = node.get(key) if isinstance(node, dict) else None
        return value if value is not None else {}

    found = set()
    labels = part(part(manifest, "metadata"), "labels")
    name = labels.get("app.kubernetes.io/name")
    if type(name) is not str or not name:
        found.add("labels")
    spec = part(manifest, "spec")
    pod = spec if manifest.get("kind") == "Pod" else part(part(spec, "template"), "spec")
    pod_security = part(pod, "securityContext")
    containers = list(pod.get("containers") or [])
    init_containers = list(pod.get("initContainers") or [])
    for container in containers + init_containers:
        resources = part(container, "resources")
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in part(resources, kind):
                    found.add("resources")
        security = part(container, "securityContext")
        non_root = security.get("runAsNonRoot", pod_security.get("runAsNonRoot"))
        user = security.get("runAsUser", pod_security.get("runAsUser"))
        if non_root is not True or (user == 0 and type(user) is int):
            found.add("non-root")
        image = str(container.get("image") or "")
        if "@" not in image:
            tag = image.partition(":")[2]
            if tag in ("", "latest"):
                found.add("image-tag")
    for container in containers:
        if "readinessProbe" not in container or "livenessProbe" not in container:
            found.add("probes")
    return sorted(found)
