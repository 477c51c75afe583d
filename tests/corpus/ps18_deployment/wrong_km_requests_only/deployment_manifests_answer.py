# Requests without limits: valid, but the pod may use all the node's memory.
def deployment_manifests(values):
    """Return [deployment, service]: the Kubernetes manifests (dicts) for `values`, as the
    contract says; ValueError for bad values."""

    def whole(key, low, high=None):
        value = values[key]
        if type(value) is not int or value < low or (high is not None and value > high):
            raise ValueError(f"{key} must be an int from {low}")
        return value

    replicas, port, uid = whole("replicas", 1), whole("port", 1, 65535), whole("uid", 1)
    name, tag = values["name"], values["tag"]
    if not tag or tag == "latest":
        raise ValueError("the tag must name one version, not 'latest'")

    def labels():
        return {"app.kubernetes.io/name": name, "app.kubernetes.io/version": tag}

    def quantities():
        return {"cpu": values["cpu"], "memory": values["memory"]}

    def probe():
        return {"httpGet": {"path": "/healthz", "port": "http"}}

    container = {
        "name": name,
        "image": f"{values['image']}:{tag}",
        "ports": [{"name": "http", "containerPort": port}],
        "resources": {"requests": quantities()},
        "readinessProbe": probe(),
        "livenessProbe": probe(),
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True},
    }
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels()},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app.kubernetes.io/name": name}},
            "template": {
                "metadata": {"labels": labels()},
                "spec": {
                    "securityContext": {"runAsNonRoot": True, "runAsUser": uid},
                    "containers": [container],
                },
            },
        },
    }
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/name": name}},
        "spec": {
            "selector": {"app.kubernetes.io/name": name},
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }
    return [deployment, service]
