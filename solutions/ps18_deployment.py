# %% [markdown]
# # ps18 · Deployment: a multi-stage Containerfile, Kubernetes manifests, a policy check (22 points)
#
# Three pieces of shipping a service, each from
# [18 · Containers and deployment](../18_deployment.ipynb), written as plain functions that
# return text or data, so that every rule can be checked exactly:
#
# - **Part A** · `containerfile(app, port, uid)`: the text of a multi-stage Containerfile whose
#   final image holds only what runs, as a non-root user (7 points);
# - **Part B** · `deployment_manifests(values)`: a Kubernetes Deployment and Service rendered
#   from a Helm-style values dict, valid against the real Kubernetes schema and meeting the
#   rules of the lesson: resources, probes, non-root, labels (8 points);
# - **Part C** · `policy_violations(manifest)`: the rules a manifest breaks, the way a policy
#   checker in a CI pipeline reports them (7 points).
#
# **How this notebook is graded.** You write one answer per part, in its answer cell. The test
# cells below each part check it and show their points. Every test cell also holds **hidden
# tests** that run only when your instructor grades the notebook (Validate and `advpy check` run
# the visible ones): passing the visible checks is necessary, not sufficient. Each part's
# contract lists exactly what the hidden tests check.
#
# The tests read your Containerfile with `dockerfile-parse` and check your manifests with the
# Kubernetes schemas that `kubernetes-validate` bundles; no container engine or cluster runs
# while grading. (The lesson's own tests build the reference answer with podman and run it, so
# the rules below are the ones a real build follows.)
#
# **Before you submit:** *Kernel → Restart Kernel and Run All Cells*, then press **Validate**.

# %% nbgrader="locked" grade_id="setup"
# Just run this cell: it imports what the answers may use and defines example values.
import copy
import json
import re

#: The base image the lesson builds: busybox, Python 3.11 with its whole standard library,
#: and /opt/advpy/bundle.py, which copies an app and only the Python it needs into a folder.
BUILD_BASE = "localhost/advpy/python:3.11"

EXAMPLE_VALUES = {
    "name": "shop-api",
    "image": "registry.example.com/shop-api",
    "tag": "1.4.2",
    "replicas": 3,
    "port": 8080,
    "uid": 10001,
    "cpu": "250m",
    "memory": "128Mi",
}

# %% [markdown]
# ## Part A · `containerfile`: a final image that holds only what runs
#
# In the lesson, one build stage had the whole toolbox (a shell, all of Python) and ran
# `bundle.py`, which wrote the app and exactly the Python it needs into `/out`; the final stage
# started from nothing (`scratch`) and copied that folder in. Write
# `containerfile(app, port, uid)` that returns such a Containerfile as a string:
#
# ```dockerfile
# FROM localhost/advpy/python:3.11 AS build
# COPY app.py /src/app.py
# RUN ["python3", "/opt/advpy/bundle.py", "/src/app.py", "/out"]
#
# FROM scratch
# COPY --from=build /out/ /
# USER 10001
# EXPOSE 8080
# ENTRYPOINT ["/usr/bin/python3", "/app/app.py"]
# CMD ["8080"]
# ```
#
# That is `containerfile("app.py", 8080, 10001)`. The exact contract, which the hidden tests
# check (with other apps, ports and users) and nothing beyond it:
#
# - **Two stages**, exactly: the first `FROM` the build base (`BUILD_BASE`, written exactly so)
#   named `build` (`AS build`, any case of `AS`); the second `FROM scratch`.
# - **The build stage** copies the app file from the build folder to `/src/<app>` with `COPY`
#   (not `ADD`) and runs the bundler in **exec form** (a JSON array):
#   `["python3", "/opt/advpy/bundle.py", "/src/<app>", "/out"]`.
# - **The final stage** has no `RUN` and no `ADD` (it has no shell to run them), and every
#   `COPY` in it copies `--from=build`; one of them copies `/out/` to `/`.
# - It runs as the user `uid`: `USER` followed by the number alone (`USER 10001`), never root.
# - It says which port it serves: `EXPOSE <port>`.
# - It starts the app in **exec form**, so that the app is process 1 and receives SIGTERM:
#   `ENTRYPOINT ["/usr/bin/python3", "/app/<app>"]` and `CMD ["<port>"]` (the port as a string).
# - Comments and blank lines are allowed anywhere; the order of the final stage's instructions
#   is free.
# - **Errors.** Raise `ValueError` when `app` is not a plain Python file name (a letter or `_`,
#   then letters, digits or `_`, then `.py`: `app.py`, `shop_api2.py`; not `app`, `src/app.py`,
#   `2app.py`, `app.py.bak`), when `port` is not an `int` from 1 to 65535, or when `uid` is
#   not an `int` of at least 1 (0 is root). `True` and `False` are not numbers here.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1 (a nudge)</summary>
#
# Check the arguments first, then build the text with an f-string; `json.dumps(list)` writes
# an exec-form array with the right quotes.
# </details>
#
# <details><summary>Hint 2</summary>
#
# `type(port) is int` is false for `True`; `isinstance(True, int)` is true.
# `re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.py", app)` checks the file name.
# </details>


# %% nbgrader="solution" grade_id="containerfile_answer"
def containerfile(app, port, uid):
    """Return the text of a two-stage Containerfile for `app` (a file name such as "app.py"),
    serving `port` as the user `uid`; ValueError for bad arguments (see the contract)."""
    ### BEGIN SOLUTION
    if type(app) is not str or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.py", app):
        raise ValueError("app is a plain Python file name such as 'app.py'")
    if type(port) is not int or not 1 <= port <= 65535:
        raise ValueError("port is an int from 1 to 65535")
    if type(uid) is not int or uid < 1:
        raise ValueError("uid is an int of at least 1 (0 is root)")
    bundle = ["python3", "/opt/advpy/bundle.py", f"/src/{app}", "/out"]
    return (
        f"FROM {BUILD_BASE} AS build\n"
        f"COPY {app} /src/{app}\n"
        f"RUN {json.dumps(bundle)}\n"
        "\n"
        "FROM scratch\n"
        "COPY --from=build /out/ /\n"
        f"USER {uid}\n"
        f"EXPOSE {port}\n"
        f"ENTRYPOINT {json.dumps(['/usr/bin/python3', f'/app/{app}'])}\n"
        f"CMD {json.dumps([str(port)])}\n"
    )
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(containerfile("app.py", 8080, 10001))

# %% [markdown]
# ### Check A1 · two stages, and what the build stage does (3 points)

# %% nbgrader="tests" grade_id="containerfile_tests_stages" points=3
"""containerfile gives exactly two stages: the build base named build, which copies the app and
runs the bundler in exec form, then scratch."""
from advpy.checks import containerfile_stages, copy_parts, exec_form, expect, expect_same


def _stage_problems(text, app):
    """What is wrong with the stages of `text` for `app`, in words ([] when nothing)."""
    try:
        stages = containerfile_stages(text)
    except ValueError as error:
        return [f"dockerfile-parse could not read it: {error}"]
    if len(stages) != 2:
        return [f"it has {len(stages)} FROM lines, not 2"]
    build, final = stages
    problems = []
    if build["base"] != BUILD_BASE or build["name"] != "build":
        problems.append("the first stage must be FROM the build base AS build")
    if final["base"] != "scratch":
        problems.append("the second stage must be FROM scratch")
    copies = [copy_parts(v) for i, v in build["instructions"] if i == "COPY"]
    if not any(src == [app] and dest == f"/src/{app}" and not f for f, src, dest in copies):
        problems.append("the build stage must COPY the app to /src/<app>")
    if any(i == "ADD" for i, _ in build["instructions"]):
        problems.append("the build stage copies with COPY, not ADD")
    bundle = ["python3", "/opt/advpy/bundle.py", f"/src/{app}", "/out"]
    if not any(i == "RUN" and exec_form(v) == bundle for i, v in build["instructions"]):
        problems.append("the build stage must RUN the bundler in exec form (a JSON array)")
    return problems


text = containerfile("app.py", 8080, 10001)
expect(type(text) is str, "containerfile must return the Containerfile as a str")
print(text)
stages = containerfile_stages(text)
expect_same(len(stages), 2, "the number of stages (FROM lines)", show=True)
expect_same(
    (stages[0]["base"], stages[0]["name"]), (BUILD_BASE, "build"), "the first FROM", show=True
)
expect_same(stages[1]["base"], "scratch", "the second stage's base", show=True)
expect_same(_stage_problems(text, "app.py"), [], "what is wrong with the stages", show=True)
### BEGIN HIDDEN TESTS
for _app, _port, _uid in [("shop_api2.py", 9000, 2000), ("_worker.py", 1, 1), ("A.py", 65535, 7)]:
    expect_same(
        _stage_problems(containerfile(_app, _port, _uid), _app),
        [],
        "the stages must follow the contract for other apps, ports and users too",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A2 · the final stage: only copied files, a non-root user, exec form (2 points)

# %% nbgrader="tests" grade_id="containerfile_tests_final" points=2
"""The final stage has no RUN or ADD, copies only from build (/out/ to /), runs as the uid,
exposes the port, and starts the app in exec form."""
from advpy.checks import containerfile_stages, copy_parts, exec_form, expect_same


def _final_problems(text, app, port, uid):
    """What is wrong with the final stage of `text`, in words ([] when nothing)."""
    stages = containerfile_stages(text)
    if len(stages) != 2:
        return ["it must have two stages"]
    steps = stages[1]["instructions"]
    problems = []
    if any(i in ("RUN", "ADD") for i, _ in steps):
        problems.append("the final stage has no RUN and no ADD")
    copies = [copy_parts(v) for i, v in steps if i == "COPY"]
    if any(flags.get("from") != "build" for flags, _, _ in copies):
        problems.append("every COPY in the final stage copies --from=build")
    if not any(src == ["/out/"] and dest == "/" for _, src, dest in copies):
        problems.append("the final stage copies /out/ to /")
    if [v for i, v in steps if i == "USER"] != [str(uid)]:
        problems.append("USER must be the uid, once, as a number alone")
    if [v for i, v in steps if i == "EXPOSE"] != [str(port)]:
        problems.append("EXPOSE must name the port, once")
    entry = [exec_form(v) for i, v in steps if i == "ENTRYPOINT"]
    if entry != [["/usr/bin/python3", f"/app/{app}"]]:
        problems.append("ENTRYPOINT must run /usr/bin/python3 /app/<app> in exec form")
    if [exec_form(v) for i, v in steps if i == "CMD"] != [[str(port)]]:
        problems.append("CMD must be the port as a string, in exec form")
    return problems


expect_same(
    _final_problems(containerfile("app.py", 8080, 10001), "app.py", 8080, 10001),
    [],
    "what is wrong with the final stage of containerfile('app.py', 8080, 10001)",
    show=True,
)
### BEGIN HIDDEN TESTS
for _app, _port, _uid in [("shop_api2.py", 9000, 2000), ("_worker.py", 1, 1), ("A.py", 65535, 7)]:
    expect_same(
        _final_problems(containerfile(_app, _port, _uid), _app, _port, _uid),
        [],
        "the final stage must follow the contract for other apps, ports and users too",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check A3 · arguments that must be refused (2 points)

# %% nbgrader="tests" grade_id="containerfile_tests_errors" points=2
"""containerfile raises ValueError for a bad file name, a port outside 1-65535, root, and
booleans."""
from advpy.checks import expect_raises

expect_raises(lambda: containerfile("app.py", 8080, 0), ValueError, "uid 0 (root) must be refused")
expect_raises(lambda: containerfile("app.py", 70000, 1), ValueError, "port 70000 must be refused")
expect_raises(lambda: containerfile("src/app.py", 80, 1), ValueError, "a path is not a file name")
### BEGIN HIDDEN TESTS
_bad = [
    ("app", 80, 1),
    ("2app.py", 80, 1),
    ("app.py.bak", 80, 1),
    ("app .py", 80, 1),
    (".py", 80, 1),
    ("app.py\n", 80, 1),
    (None, 80, 1),
    ("app.py", 0, 1),
    ("app.py", 65536, 1),
    ("app.py", -80, 1),
    ("app.py", 80.0, 1),
    ("app.py", "80", 1),
    ("app.py", True, 1),
    ("app.py", 80, -1),
    ("app.py", 80, True),
    ("app.py", 80, 1.0),
    ("app.py", 80, "10001"),
    ("app.py", 80, None),
]
for _args in _bad:
    expect_raises(
        lambda _args=_args: containerfile(*_args),
        ValueError,
        "a bad file name, a port outside 1..65535, a uid below 1, or a value that is not an int "
        "(booleans included) must raise ValueError",
    )
for _args in [("x.py", 65535, 1), ("x.py", 1, 10**6)]:
    containerfile(*_args)  # the ends of the ranges are allowed
### END HIDDEN TESTS

# %% [markdown]
# ## Part B · `deployment_manifests`: a Deployment and a Service from values
#
# Helm fills templates from a values file; here a function does it. Write
# `deployment_manifests(values)` that returns a list of two dicts, `[deployment, service]`,
# from a dict shaped like `EXAMPLE_VALUES`: `name`, `image` (without tag), `tag`, `replicas`,
# `port`, `uid`, `cpu` and `memory` (Kubernetes quantities such as `"250m"`, `"128Mi"`).
# For `EXAMPLE_VALUES` the Deployment is (`L` stands for the two labels below):
#
# ```yaml
# apiVersion: apps/v1
# kind: Deployment
# metadata: {name: shop-api, labels: L}
# spec:
#   replicas: 3
#   selector: {matchLabels: {app.kubernetes.io/name: shop-api}}
#   template:
#     metadata: {labels: L}
#     spec:
#       securityContext: {runAsNonRoot: true, runAsUser: 10001}
#       containers:
#         - name: shop-api
#           image: registry.example.com/shop-api:1.4.2
#           ports: [{name: http, containerPort: 8080}]
#           resources:
#             requests: {cpu: 250m, memory: 128Mi}
#             limits: {cpu: 250m, memory: 128Mi}
#           readinessProbe: {httpGet: {path: /healthz, port: http}}
#           livenessProbe: {httpGet: {path: /healthz, port: http}}
#           securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}
# ```
#
# where `L` is `{app.kubernetes.io/name: shop-api, app.kubernetes.io/version: "1.4.2"}`, and
# the Service is:
#
# ```yaml
# apiVersion: v1
# kind: Service
# metadata: {name: shop-api, labels: {app.kubernetes.io/name: shop-api}}
# spec:
#   selector: {app.kubernetes.io/name: shop-api}
#   ports: [{name: http, port: 80, targetPort: http}]
# ```
#
# The exact contract, which the hidden tests check (with other values) and nothing beyond it:
#
# - **Valid.** Both are valid against the Kubernetes 1.30 schema, strictly (no unknown field):
#   numbers are `int`s, booleans are `bool`s, quantities and label values are strings.
# - **Exactly these fields**, with the values shown: the dicts equal the ones above with the
#   values put in (no other field, none left out).
# - **Labels.** The selector holds only the name label: a Deployment's selector cannot change
#   after it is created, so a version in it would break the next release.
# - **Rules**: requests equal to limits for both cpu and memory (the pod gets the "Guaranteed"
#   quality of service), both probes on the named port `http`, non-root.
# - **Nothing changed.** `values` is not changed.
# - **Errors.** Raise `ValueError` when `replicas` is not an `int` of at least 1, `port` not an
#   `int` from 1 to 65535, `uid` not an `int` of at least 1, or `tag` is `"latest"` or empty
#   (a moving tag cannot be rolled back). `True` and `False` are not numbers here.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# Check the numbers first, with `type(value) is int` (which is false for `True`). Then write
# the two dicts as literals, with the values in their places; a small function that returns
# the labels dict saves writing it three times.
# </details>


# %% nbgrader="solution" grade_id="deployment_manifests_answer"
def deployment_manifests(values):
    """Return [deployment, service]: the Kubernetes manifests (dicts) for `values`, as the
    contract says; ValueError for bad values."""
    ### BEGIN SOLUTION
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
        "resources": {"requests": quantities(), "limits": quantities()},
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
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
print(json.dumps(deployment_manifests(EXAMPLE_VALUES), indent=1)[:600])

# %% [markdown]
# ### Check B1 · valid against the Kubernetes schema (2 points)

# %% nbgrader="tests" grade_id="deployment_manifests_tests_schema" points=2
"""deployment_manifests returns [Deployment, Service], both valid against the Kubernetes 1.30
schema (strict)."""
from advpy.checks import expect, expect_same, kubernetes_errors

manifests = deployment_manifests(copy.deepcopy(EXAMPLE_VALUES))
expect(type(manifests) is list and len(manifests) == 2, "return a list of two dicts")
expect_same(
    [(m.get("kind"), m.get("apiVersion")) for m in manifests],
    [("Deployment", "apps/v1"), ("Service", "v1")],
    "the kinds and API versions",
    show=True,
)
for manifest in manifests:
    expect_same(kubernetes_errors(manifest), [], "the schema's errors", show=True)
### BEGIN HIDDEN TESTS
_other = {
    "name": "billing",
    "image": "localhost:5000/team/billing",
    "tag": "2024.06.1",
    "replicas": 1,
    "port": 65535,
    "uid": 1,
    "cpu": "1",
    "memory": "1Gi",
}
for _manifest in deployment_manifests(_other):
    expect_same(
        kubernetes_errors(_manifest), [], "the manifests for other values must be valid too"
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B2 · the rules: resources, probes, non-root (3 points)

# %% nbgrader="tests" grade_id="deployment_manifests_tests_rules" points=3
"""The Deployment's container has requests equal to limits, both probes on the named port, and
runs as the given non-root user; the whole Deployment is exactly as the contract shows."""
from advpy.checks import expect_same

deployment = deployment_manifests(copy.deepcopy(EXAMPLE_VALUES))[0]
pod = deployment["spec"]["template"]["spec"]
box = pod["containers"][0]
expect_same(
    box["resources"]["requests"], box["resources"]["limits"], "requests vs limits", show=True
)
expect_same(
    box["readinessProbe"], {"httpGet": {"path": "/healthz", "port": "http"}}, "probe", show=True
)
expect_same(
    pod["securityContext"], {"runAsNonRoot": True, "runAsUser": 10001}, "pod security", show=True
)
### BEGIN HIDDEN TESTS
def _expected_deployment(v):
    labels = {"app.kubernetes.io/name": v["name"], "app.kubernetes.io/version": v["tag"]}
    probe = {"httpGet": {"path": "/healthz", "port": "http"}}
    quantities = {"cpu": v["cpu"], "memory": v["memory"]}
    container = {
        "name": v["name"],
        "image": f"{v['image']}:{v['tag']}",
        "ports": [{"name": "http", "containerPort": v["port"]}],
        "resources": {"requests": dict(quantities), "limits": dict(quantities)},
        "readinessProbe": probe,
        "livenessProbe": probe,
        "securityContext": {"allowPrivilegeEscalation": False, "readOnlyRootFilesystem": True},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": v["name"], "labels": labels},
        "spec": {
            "replicas": v["replicas"],
            "selector": {"matchLabels": {"app.kubernetes.io/name": v["name"]}},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "securityContext": {"runAsNonRoot": True, "runAsUser": v["uid"]},
                    "containers": [container],
                },
            },
        },
    }


expect_same(
    deployment,
    _expected_deployment(EXAMPLE_VALUES),
    "the whole Deployment must be exactly as the contract shows",
)
for _values in [
    _other,
    {**EXAMPLE_VALUES, "replicas": 12, "uid": 65534, "cpu": "2", "memory": "256Mi"},
]:
    expect_same(
        deployment_manifests(copy.deepcopy(_values))[0],
        _expected_deployment(_values),
        "the Deployment must be exactly as the contract shows for other values too",
    )
### END HIDDEN TESTS

# %% [markdown]
# ### Check B3 · labels, selector and Service (2 points)

# %% nbgrader="tests" grade_id="deployment_manifests_tests_service" points=2
"""The selector holds only the name label, the pods carry both labels, and the Service selects
the pods and sends port 80 to the named port http."""
from advpy.checks import expect, expect_same

deployment, service = deployment_manifests(copy.deepcopy(EXAMPLE_VALUES))
selector = deployment["spec"]["selector"]["matchLabels"]
expect_same(selector, {"app.kubernetes.io/name": "shop-api"}, "the selector", show=True)
pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
expect(
    all(pod_labels.get(k) == v for k, v in service["spec"]["selector"].items()),
    "the Service's selector must match the pods' labels",
)
expect_same(
    service,
    {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "shop-api", "labels": {"app.kubernetes.io/name": "shop-api"}},
        "spec": {
            "selector": {"app.kubernetes.io/name": "shop-api"},
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    },
    "the Service for EXAMPLE_VALUES",
    show=True,
)
### BEGIN HIDDEN TESTS
def _expected_service(v):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": v["name"], "labels": {"app.kubernetes.io/name": v["name"]}},
        "spec": {
            "selector": {"app.kubernetes.io/name": v["name"]},
            "ports": [{"name": "http", "port": 80, "targetPort": "http"}],
        },
    }


expect_same(
    deployment_manifests(copy.deepcopy(_other))[1],
    _expected_service(_other),
    "the Service must be exactly as the contract shows for other values too",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check B4 · errors, and values left unchanged (1 point)

# %% nbgrader="tests" grade_id="deployment_manifests_tests_errors" points=1
"""deployment_manifests refuses bad replicas, ports, users and tags, and leaves values
unchanged."""
from advpy.checks import expect_raises, expect_same

expect_raises(
    lambda: deployment_manifests({**EXAMPLE_VALUES, "tag": "latest"}),
    ValueError,
    "the tag 'latest' must be refused",
)
### BEGIN HIDDEN TESTS
for _change in [
    {"tag": ""},
    {"replicas": 0},
    {"replicas": -1},
    {"replicas": "3"},
    {"replicas": True},
    {"replicas": 2.0},
    {"port": 0},
    {"port": 65536},
    {"port": "8080"},
    {"port": False},
    {"uid": 0},
    {"uid": -5},
    {"uid": True},
    {"uid": "10001"},
]:
    expect_raises(
        lambda _change=_change: deployment_manifests({**EXAMPLE_VALUES, **_change}),
        ValueError,
        "replicas below 1, a port outside 1..65535, a uid below 1, a value that is not an int "
        "(booleans included), or an empty or 'latest' tag must raise ValueError",
    )
for _edge in [{"port": 1}, {"port": 65535}, {"replicas": 1, "uid": 1}]:
    deployment_manifests({**EXAMPLE_VALUES, **_edge})  # the ends of the ranges are allowed
_kept = copy.deepcopy(_other)
deployment_manifests(_kept)
expect_same(_kept, _other, "the values dict must not be changed")
### END HIDDEN TESTS

# %% [markdown]
# ## Part C · `policy_violations`: which rules does a manifest break?
#
# The schema says whether Kubernetes accepts a manifest, not whether it is a good idea: a pod
# with no limits, no probes, running as root with `:latest` is perfectly valid. Teams add a
# policy check to CI (kube-score, Polaris, Kyverno do this). Write
# `policy_violations(manifest)` that returns the **sorted list of the names** of the rules a
# manifest breaks, each name once (`[]` when it breaks none):
#
# - `"resources"`: a container (or init container) lacks any of `resources.requests.cpu`,
#   `resources.requests.memory`, `resources.limits.cpu`, `resources.limits.memory`;
# - `"probes"`: a container (init containers are not counted) lacks `readinessProbe` or
#   `livenessProbe`;
# - `"non-root"`: a container (or init container) may run as root: its effective
#   `runAsNonRoot` is not `True`, or its effective `runAsUser` is `0`;
# - `"image-tag"`: a container's (or init container's) image has no tag, or the tag `latest`;
# - `"labels"`: the manifest's `metadata.labels` has no `app.kubernetes.io/name` with a
#   non-empty string value.
#
# The exact contract, which the hidden tests check and nothing beyond it:
#
# - **Where the pod is.** For `kind: Pod` the pod spec is `spec`; for every other kind
#   (`Deployment`, `StatefulSet`, `DaemonSet`, `Job`...) it is `spec.template.spec`. A pod spec
#   may leave out `containers` or `initContainers` (no containers of that sort).
# - **Effective security settings.** A container's `securityContext` overrides the pod's
#   `securityContext` field by field: `runAsNonRoot` and `runAsUser` each come from the
#   container when it sets them, otherwise from the pod. Only `True` counts as true for
#   `runAsNonRoot` (a missing value does not); `runAsUser` missing is fine if `runAsNonRoot` is
#   `True`.
# - **Image tags.** An image is `[registry[:port]/]path[:tag][@digest]`. A digest
#   (`@sha256:...`) pins the image whatever the tag, so it breaks no rule. Otherwise the tag is
#   what follows the last `:` **after the last `/`** (`localhost:5000/shop` has no tag;
#   `localhost:5000/shop:1.2` has `1.2`); no tag, or `latest`, breaks the rule.
# - Any field may be missing where a dict is expected (no `resources`, no `metadata`...): a
#   missing dict is an empty one. The manifest is not changed.

# %% [markdown]
# ### Hints
# <details><summary>Hint 1</summary>
#
# `(manifest.get("metadata") or {}).get("labels") or {}` reads a field that may be missing.
# Collect rule names in a set, return `sorted(found)`.
# </details>
#
# <details><summary>Hint 2</summary>
#
# For the tag: if `"@"` is in the image, it is pinned; otherwise take
# `image.rsplit("/", 1)[-1]` and look for a `:` in that last part only.
# </details>


# %% nbgrader="solution" grade_id="policy_violations_answer"
def policy_violations(manifest):
    """Return the sorted names of the rules (resources, probes, non-root, image-tag, labels)
    that `manifest` breaks, each once; [] when it breaks none."""
    ### BEGIN SOLUTION
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
            last = image.rsplit("/", 1)[-1]
            tag = last.partition(":")[2] if ":" in last else ""
            if tag in ("", "latest"):
                found.add("image-tag")
    for container in containers:
        if "readinessProbe" not in container or "livenessProbe" not in container:
            found.add("probes")
    return sorted(found)
    ### END SOLUTION


# %%
# Scratch cell: try your function here. It is not graded.
policy_violations({"kind": "Pod", "spec": {"containers": [{"name": "x", "image": "nginx"}]}})

# %% [markdown]
# ### Check C1 · resources and probes (2 points)

# %% nbgrader="tests" grade_id="policy_violations_tests_resources" points=2
"""policy_violations reports "resources" and "probes" for the containers that lack them, and
nothing for the manifests of Part B's example."""
from advpy.checks import expect_same


def _pod(containers, init=None, security=None, kind="Pod", labels=None):
    """A manifest of `kind` around a pod spec with these containers (instructor's builder)."""
    pod = {"containers": containers}
    if init is not None:
        pod["initContainers"] = init
    if security is not None:
        pod["securityContext"] = security
    meta = {"name": "x", "labels": {"app.kubernetes.io/name": "x"} if labels is None else labels}
    if kind == "Pod":
        return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": pod}
    return {"kind": kind, "metadata": meta, "spec": {"template": {"spec": pod}}}


def _box(image="shop:1.0", resources=True, probes=True, security=None):
    """One container (instructor's builder): everything set unless told otherwise."""
    box = {"name": "app", "image": image}
    if resources is True:
        q = {"cpu": "100m", "memory": "64Mi"}
        box["resources"] = {"requests": dict(q), "limits": dict(q)}
    elif resources is not None:
        box["resources"] = resources
    if probes:
        box["readinessProbe"] = {"httpGet": {"path": "/", "port": 80}}
        box["livenessProbe"] = {"httpGet": {"path": "/", "port": 80}}
    box["securityContext"] = {"runAsNonRoot": True} if security is None else security
    return box


expect_same(policy_violations(_pod([_box()])), [], "a pod that follows every rule", show=True)
expect_same(
    policy_violations(_pod([_box(resources=None, probes=False)])),
    ["probes", "resources"],
    "a pod without resources or probes",
    show=True,
)
### BEGIN HIDDEN TESTS
_q = {"cpu": "1", "memory": "1Gi"}
for _resources in [
    {"requests": dict(_q)},
    {"limits": dict(_q)},
    {"requests": {"cpu": "1"}, "limits": dict(_q)},
    {"requests": dict(_q), "limits": {"memory": "1Gi"}},
    {},
]:
    expect_same(
        policy_violations(_pod([_box(resources=_resources)])),
        ["resources"],
        "a container missing any of requests/limits x cpu/memory breaks 'resources'",
    )
expect_same(
    policy_violations(_pod([_box(), _box(resources=None)])),
    ["resources"],
    "every container is checked, not only the first",
)
expect_same(
    policy_violations(_pod([_box()], init=[_box(resources=None, probes=False)])),
    ["resources"],
    "init containers count for 'resources' but not for 'probes'",
)
_one = _box()
del _one["livenessProbe"]
expect_same(policy_violations(_pod([_one])), ["probes"], "a missing livenessProbe is 'probes'")
_one = _box()
del _one["readinessProbe"]
expect_same(
    policy_violations(_pod([_box(), _one], kind="Deployment")),
    ["probes"],
    "a missing readinessProbe in any container (a Deployment's template) is 'probes'",
)
expect_same(
    policy_violations(_pod([_box(resources=None, probes=False)], kind="StatefulSet")),
    ["probes", "resources"],
    "other kinds keep their pod in spec.template.spec",
)
expect_same(
    policy_violations(_pod([], init=[])), [], "a pod without containers breaks no container rule"
)
expect_same(
    policy_violations({"kind": "Pod", "metadata": {"labels": {"app.kubernetes.io/name": "x"}}}),
    [],
    "a pod without a spec breaks no container rule",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C2 · non-root, with pod and container settings (3 points)

# %% nbgrader="tests" grade_id="policy_violations_tests_nonroot" points=3
"""policy_violations reports "non-root" unless every container's effective runAsNonRoot is True
and its effective runAsUser is not 0, container settings overriding the pod's."""
from advpy.checks import expect_same

expect_same(
    policy_violations(_pod([_box(security={})])),
    ["non-root"],
    "a container with no runAsNonRoot, in a pod without one",
    show=True,
)
expect_same(
    policy_violations(_pod([_box(security={})], security={"runAsNonRoot": True})),
    [],
    "runAsNonRoot: true on the pod covers its containers",
    show=True,
)
### BEGIN HIDDEN TESTS
_cases = [
    ({"runAsNonRoot": True, "runAsUser": 0}, None, ["non-root"]),
    ({"runAsNonRoot": True, "runAsUser": 1000}, None, []),
    ({"runAsNonRoot": False}, {"runAsNonRoot": True}, ["non-root"]),
    ({}, {"runAsNonRoot": True, "runAsUser": 0}, ["non-root"]),
    ({"runAsUser": 1000}, {"runAsNonRoot": True, "runAsUser": 0}, []),
    ({"runAsUser": 0}, {"runAsNonRoot": True, "runAsUser": 1000}, ["non-root"]),
    ({"runAsNonRoot": True}, {"runAsNonRoot": False}, []),
    ({"runAsNonRoot": "true"}, None, ["non-root"]),
    ({"runAsNonRoot": 1}, None, ["non-root"]),
    ({"runAsUser": 1000}, None, ["non-root"]),
]
for _container, _pod_security, _expected in _cases:
    expect_same(
        policy_violations(_pod([_box(security=_container)], security=_pod_security)),
        _expected,
        "the effective runAsNonRoot (only True counts) and runAsUser (0 is root), container "
        "settings overriding the pod's field by field, decide 'non-root'",
    )
_bare = _box()
del _bare["securityContext"]
expect_same(
    policy_violations(_pod([_bare], security={"runAsNonRoot": True})),
    [],
    "a container without a securityContext takes the pod's",
)
expect_same(policy_violations(_pod([_bare])), ["non-root"], "no setting anywhere may run as root")
expect_same(
    policy_violations(_pod([_box()], init=[_box(security={"runAsUser": 0})])),
    ["non-root"],
    "init containers count for 'non-root'",
)
expect_same(
    policy_violations(_pod([_box(security={})], kind="Deployment")),
    ["non-root"],
    "a Deployment's containers are checked in spec.template.spec",
)
### END HIDDEN TESTS

# %% [markdown]
# ### Check C3 · image tags, labels, and the manifest left unchanged (2 points)

# %% nbgrader="tests" grade_id="policy_violations_tests_tags" points=2
"""policy_violations reports "image-tag" for untagged and :latest images (digests pin), and
"labels" without a name label; the answer is sorted, each name once, and the manifest is not
changed."""
from advpy.checks import expect_same

expect_same(policy_violations(_pod([_box(image="nginx")])), ["image-tag"], "nginx", show=True)
expect_same(policy_violations(_pod([_box()], labels={})), ["labels"], "no labels", show=True)
### BEGIN HIDDEN TESTS
for _image, _expected in [
    ("nginx:latest", ["image-tag"]),
    ("nginx:1.27", []),
    ("localhost:5000/shop", ["image-tag"]),
    ("localhost:5000/shop:1.2", []),
    ("localhost:5000/team/shop:latest", ["image-tag"]),
    ("registry.example.com/a/b@sha256:" + "0" * 64, []),
    ("registry.example.com/a/b:latest@sha256:" + "0" * 64, []),
    ("shop:", ["image-tag"]),
    ("", ["image-tag"]),
]:
    expect_same(
        policy_violations(_pod([_box(image=_image)])),
        _expected,
        "an image without a tag (after the last '/') or with 'latest' breaks 'image-tag'; a "
        "digest pins it",
    )
expect_same(
    policy_violations(_pod([_box()], init=[_box(image="busybox")])),
    ["image-tag"],
    "init containers count for 'image-tag'",
)
for _labels in [{"app": "x"}, {"app.kubernetes.io/name": ""}, {"app.kubernetes.io/name": 5}]:
    expect_same(
        policy_violations(_pod([_box()], labels=_labels)),
        ["labels"],
        "metadata.labels needs app.kubernetes.io/name with a non-empty string",
    )
_no_meta = _pod([_box()])
del _no_meta["metadata"]
expect_same(policy_violations(_no_meta), ["labels"], "a manifest without metadata has no labels")
_all = _pod(
    [_box(image="a", resources=None, probes=False, security={}), _box(image="b")],
    init=[_box(image="c:latest", resources=None, security={})],
    labels={},
    kind="Deployment",
)
_before = copy.deepcopy(_all)
expect_same(
    policy_violations(_all),
    ["image-tag", "labels", "non-root", "probes", "resources"],
    "every rule broken, each reported once, in sorted order",
)
expect_same(_all, _before, "the manifest must not be changed")
### END HIDDEN TESTS
