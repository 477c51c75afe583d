"""advpy.checks' helpers for ps18: Containerfile stages read by dockerfile-parse, exec form,
COPY's parts, and Kubernetes schema errors from kubernetes-validate."""

from __future__ import annotations

import pytest

from advpy.checks import containerfile_stages, copy_parts, exec_form, kubernetes_errors

TEXT = """\
# syntax comment
ARG VERSION=3.11
FROM localhost/advpy/python:3.11 as build
COPY app.py /src/app.py
RUN ["python3", "-c", "print(1)"]

FROM scratch
COPY --from=build /out/ /
USER 10001
"""


def test_stages_are_split_at_each_from() -> None:
    stages = containerfile_stages(TEXT)
    assert [(s["base"], s["name"]) for s in stages] == [
        ("localhost/advpy/python:3.11", "build"),
        ("scratch", None),
    ]
    assert stages[0]["instructions"] == [
        ("COPY", "app.py /src/app.py"),
        ("RUN", '["python3", "-c", "print(1)"]'),
    ]
    assert stages[1]["instructions"] == [("COPY", "--from=build /out/ /"), ("USER", "10001")]


@pytest.mark.parametrize(
    "text", ["COPY a b\nFROM scratch\n", "FROM a b c\n", "FROM a AS\n", b"FROM scratch\n", None]
)
def test_unreadable_containerfiles_raise_value_error(text: object) -> None:
    with pytest.raises(ValueError):
        containerfile_stages(text)  # type: ignore[arg-type]


def test_exec_form_and_copy_parts() -> None:
    assert exec_form('["a", "b"]') == ["a", "b"]
    assert exec_form("python3 app.py") is None
    assert exec_form("[1, 2]") is None
    assert copy_parts("--from=build --chown=1:1 /out/ /") == (
        {"from": "build", "chown": "1:1"},
        ["/out/"],
        "/",
    )
    assert copy_parts('["a b", "c"]') == ({}, ["a b"], "c")
    assert copy_parts("only") == ({}, ["only"], "")


def test_kubernetes_errors_name_where_the_manifest_is_wrong() -> None:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": "http"}]},
    }
    assert kubernetes_errors(service) == []
    wrong = {**service, "spec": {"ports": [{"port": "eighty"}]}}
    assert kubernetes_errors(wrong) == ["spec.ports.0.port: 'eighty' is not of type 'integer'"]
    unknown = {**service, "spex": {}}
    assert "spex" in kubernetes_errors(unknown)[0]
    assert kubernetes_errors({"kind": "Nothing", "apiVersion": "v9"}) == [
        "Kubernetes 1.30 has no Nothing in v9"
    ]
    assert kubernetes_errors([service]) == ["a manifest is a dict, not a list"]
    assert kubernetes_errors({"kind": 1}) == ["a manifest needs apiVersion and kind, both strings"]
