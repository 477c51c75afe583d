"""Kubernetes manifests rendered from a Helm-style values file, checked against the real
Kubernetes schemas (``kubernetes-validate`` bundles them; no cluster is needed), and a GitHub
Actions workflow checked by ``check-jsonschema`` against the workflow schema it ships.

Helm renders Go templates; this module renders Jinja2 templates the same way (values in,
YAML out), since Helm itself and a cluster do not run here.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import kubernetes_validate
import yaml

#: The Kubernetes version whose schemas the manifests are checked against.
KUBERNETES_VERSION = "1.30"

VALUES_YAML = """\
# values.yaml: what changes between deployments; the templates stay the same.
name: shop-api
image:
  repository: registry.example.com/shop-api
  tag: "1.4.2"
replicas: 3
port: 8080
uid: 10001
resources:
  requests: {cpu: 100m, memory: 64Mi}
  limits: {cpu: 500m, memory: 128Mi}
"""

DEPLOYMENT_TEMPLATE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ name }}
  labels:
    app.kubernetes.io/name: {{ name }}
    app.kubernetes.io/version: "{{ image.tag }}"
spec:
  replicas: {{ replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ name }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ name }}
        app.kubernetes.io/version: "{{ image.tag }}"
    spec:
      terminationGracePeriodSeconds: 30
      securityContext:
        runAsNonRoot: true
        runAsUser: {{ uid }}
      containers:
        - name: {{ name }}
          image: "{{ image.repository }}:{{ image.tag }}"
          ports:
            - {name: http, containerPort: {{ port }}}
          resources:
            requests: {cpu: {{ resources.requests.cpu }}, memory: {{ resources.requests.memory }}}
            limits: {cpu: {{ resources.limits.cpu }}, memory: {{ resources.limits.memory }}}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 5
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 10
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
"""

SERVICE_TEMPLATE = """\
apiVersion: v1
kind: Service
metadata:
  name: {{ name }}
  labels:
    app.kubernetes.io/name: {{ name }}
spec:
  selector:
    app.kubernetes.io/name: {{ name }}
  ports:
    - {name: http, port: 80, targetPort: http}
"""

TEMPLATES = {"deployment.yaml": DEPLOYMENT_TEMPLATE, "service.yaml": SERVICE_TEMPLATE}


def render(values: Mapping[str, Any], templates: Mapping[str, str] = TEMPLATES) -> str:
    """The manifests for ``values``, one YAML document per template (like ``helm template``).
    A value a template uses but ``values`` lacks is an error, not an empty string."""
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
    )
    documents = [
        f"# Source: {name}\n" + environment.from_string(text).render(**values)
        for name, text in templates.items()
    ]
    return "---\n".join(documents)


def load_all(text: str) -> list[dict[str, Any]]:
    """The YAML documents of ``text`` (empty ones left out)."""
    return [document for document in yaml.safe_load_all(text) if document]


def validate(document: Mapping[str, Any], version: str = KUBERNETES_VERSION) -> list[str]:
    """What the Kubernetes schema of ``version`` finds wrong in one manifest (strict: unknown
    fields are errors too); ``[]`` when it is valid."""
    try:
        kubernetes_validate.validate(dict(document), version, strict=True)
    except kubernetes_validate.ValidationError as error:
        where = ".".join(str(part) for part in error.path) or "(top)"
        return [f"{where}: {error.message}"]
    except kubernetes_validate.SchemaNotFoundError:
        return [
            f"Kubernetes {version} has no schema for {document.get('kind')} in "
            f"{document.get('apiVersion')}"
        ]
    return []


def with_change(values: Mapping[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A deep copy of ``values`` with the dotted ``path`` set to ``value``."""
    copy: dict[str, Any] = yaml.safe_load(yaml.safe_dump(dict(values)))
    *parents, last = path.split(".")
    node = copy
    for part in parents:
        node = node[part]
    node[last] = value
    return copy


WORKFLOW_YAML = """\
# .github/workflows/ci.yml: test on every push and pull request; build and publish the image
# from main only, once the tests pass.
name: ci
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install -r requirements.txt
      - run: python -m pytest -q
  image:
    needs: test
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-24.04
    permissions:
      contents: read
      packages: write
    steps:
      - uses: actions/checkout@v4
      - run: podman build -t ghcr.io/${{ github.repository }}:${{ github.sha }} .
      - run: podman push ghcr.io/${{ github.repository }}:${{ github.sha }}
"""


def check_workflow(text: str, folder: Path) -> tuple[bool, str]:
    """Run ``check-jsonschema`` with its bundled GitHub workflow schema on ``text`` (no
    network needed); returns (valid, what it printed)."""
    path = folder / "ci.yml"
    path.write_text(text)
    program = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(program), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done.returncode == 0, (done.stdout + done.stderr).strip()
