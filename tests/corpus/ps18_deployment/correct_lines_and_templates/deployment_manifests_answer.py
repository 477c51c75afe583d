# Fills a JSON template string and parses it: every call builds fresh dicts, none shared.
TEMPLATE = """
[{"apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": NAME, "labels": LABELS},
  "spec": {"replicas": REPLICAS,
           "selector": {"matchLabels": {"app.kubernetes.io/name": NAME}},
           "template": {"metadata": {"labels": LABELS},
                        "spec": {"securityContext": {"runAsNonRoot": true, "runAsUser": UID},
                                 "containers": [{
                                   "name": NAME, "image": IMAGE,
                                   "ports": [{"name": "http", "containerPort": PORT}],
                                   "resources": {"requests": QTY, "limits": QTY},
                                   "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                                   "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http"}},
                                   "securityContext": {"allowPrivilegeEscalation": false,
                                                       "readOnlyRootFilesystem": true}}]}}}},
 {"apiVersion": "v1", "kind": "Service",
  "metadata": {"name": NAME, "labels": {"app.kubernetes.io/name": NAME}},
  "spec": {"selector": {"app.kubernetes.io/name": NAME},
           "ports": [{"name": "http", "port": 80, "targetPort": "http"}]}}]
"""


def deployment_manifests(values):
    """Return [deployment, service] for `values`."""
    checks = {"replicas": (1, None), "port": (1, 65535), "uid": (1, None)}
    for key, (low, high) in checks.items():
        value = values[key]
        if type(value) is not int or value < low or (high and value > high):
            raise ValueError(f"bad {key}")
    if values["tag"] in ("", "latest"):
        raise ValueError("pin a version")
    fill = {
        "NAME": json.dumps(values["name"]),
        "LABELS": json.dumps(
            {"app.kubernetes.io/name": values["name"], "app.kubernetes.io/version": values["tag"]}
        ),
        "REPLICAS": str(values["replicas"]),
        "UID": str(values["uid"]),
        "PORT": str(values["port"]),
        "IMAGE": json.dumps(values["image"] + ":" + values["tag"]),
        "QTY": json.dumps({"cpu": values["cpu"], "memory": values["memory"]}),
    }
    text = re.sub(r"\b(NAME|LABELS|REPLICAS|UID|PORT|IMAGE|QTY)\b", lambda m: fill[m[1]], TEMPLATE)
    return json.loads(text)
