# A module-level skeleton, deep-copied for every call and filled in place.
_SKELETON = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": None, "labels": None},
    "spec": {
        "replicas": None,
        "selector": {"matchLabels": None},
        "template": {
            "metadata": {"labels": None},
            "spec": {
                "securityContext": {"runAsNonRoot": True, "runAsUser": None},
                "containers": None,
            },
        },
    },
}


def deployment_manifests(values):
    """Return [deployment, service] for `values`."""
    v = copy.deepcopy(values)
    for key, high in (("replicas", None), ("port", 65535), ("uid", None)):
        if isinstance(v[key], bool) or not isinstance(v[key], int) or v[key] < 1:
            raise ValueError(key)
        if high and v[key] > high:
            raise ValueError(key)
    if not v["tag"] or v["tag"] == "latest":
        raise ValueError("tag")
    name = v["name"]
    d = copy.deepcopy(_SKELETON)
    d["metadata"]["name"] = name
    d["metadata"]["labels"] = {
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/version": v["tag"],
    }
    d["spec"]["replicas"] = v["replicas"]
    d["spec"]["selector"]["matchLabels"] = {"app.kubernetes.io/name": name}
    d["spec"]["template"]["metadata"]["labels"] = copy.deepcopy(d["metadata"]["labels"])
    d["spec"]["template"]["spec"]["securityContext"]["runAsUser"] = v["uid"]
    probe = {"httpGet": {"path": "/healthz", "port": "http"}}
    qty = {"cpu": v["cpu"], "memory": v["memory"]}
    d["spec"]["template"]["spec"]["containers"] = [
        {
            "name": name,
            "image": f"{v['image']}:{v['tag']}",
            "ports": [{"name": "http", "containerPort": v["port"]}],
            "resources": {"requests": dict(qty), "limits": dict(qty)},
            "readinessProbe": copy.deepcopy(probe),
            "livenessProbe": copy.deepcopy(probe),
            "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True},
        }
    ]
    s = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": name}},
        "spec": {
            "selector": {"app.kubernetes.io/name": name},
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }
    return [d, s]
