# %% [markdown]
# # 18 · Containers and deployment: images, shutdowns, manifests, pipelines
#
# A service is not deployed when its code works on a laptop; it is deployed when a machine that
# has never seen the laptop can run it, stop it, replace it and limit it, the same way every
# time. Containers are how that is done today: an **image** holds the program and everything it
# needs, a **container engine** runs it with its own view of files, processes and memory, and
# an **orchestrator** (Kubernetes) keeps the right number of copies running from a description
# in YAML, checked and applied by a **CI/CD pipeline**. Everything here runs for real on this
# machine: podman and runc build and run the images, nginx balances requests during a rolling
# restart, and the manifests and the workflow are checked by the same validators teams run.
#
# **Learning objectives.** By the end you can:
# - **build** an image three ways (naive, slim, multi-stage) and **read** its layers and size,
#   and explain why deleting a file in a later layer does not make an image smaller;
# - **enforce** a memory limit on a container and **recognise** the kernel's OOM kill;
# - **handle** SIGTERM so that a rolling restart behind a load balancer drops no request, and
#   explain why process 1 in a container ignores signals it does not handle;
# - **render** a Kubernetes Deployment and Service from a Helm-style values file and
#   **validate** them against the real Kubernetes schemas, and tell what a schema cannot catch;
# - **validate** a GitHub Actions workflow before it ever runs.
#
# **Prerequisites:** processes and signals; HTTP; [12 · Microservices](12_microservices.ipynb)
# (nginx as a gateway) and [13 · Migrations](13_migrations.ipynb) (rolling deploys).

# %% [markdown]
# ## Setup
#
# `container_engine()` starts nothing by itself: it gives podman a private image store in a
# temporary folder, with the settings that work here as root (the `vfs` storage driver, which
# copies every layer in full; `cgroupfs`; runc). Nothing can be pulled from a registry on this
# machine, so the lesson builds its base images from the machine's own files. Containers get no
# network of their own: `--network host` (servers bind 127.0.0.1) or `--network none`. Ports
# are never published with `-p`, which would add a bridge and firewall rules to the machine;
# the last section checks that nothing was added.

# %%
# %matplotlib inline
import subprocess
import tempfile
from pathlib import Path

import yaml

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.deployment import builds, host, manifests, runtime
from advpy.lessons.deployment.plots import plot_image_sizes, plot_rollouts
from advpy.services import container_engine

print(machine_summary())
print(subprocess.run(["podman", "--version"], capture_output=True, text=True).stdout.strip())
host_before = host.snapshot()
work = Path(tempfile.mkdtemp(prefix="advpy-18-"))
engine = container_engine()
CACHE_BYTES = pick(full=16_000_000, fast=4_000_000)  # the naive build folder's "build cache"

# %% [markdown]
# ## 1. An image is a stack of layers
#
# Each instruction of a Containerfile that changes files (`COPY`, `ADD`, `RUN`) adds a
# **layer**: the files it added or changed. An image is its base image's layers plus its own,
# and a container sees them stacked, the newest on top. Two consequences follow, both measured
# below: a file deleted in a later layer is still stored in the earlier one, and whatever the
# base image holds (a shell, a compiler, the whole standard library) ships with every image
# built on it.
#
# First the base images. A distribution makes its base image by packing a root file system
# into one layer (`podman import`); the lesson does the same with the machine's own busybox
# (a shell and the usual tools in one static program) and Debian's Python 3.11, plus every
# shared library `ldd` names for them:

# %%
bases = builds.build_bases(engine, work)
for record in bases.values():
    print(f"{record.tag:32} {record.size / 1e6:6.1f} MB  made in {record.build_seconds:4.1f} s")

# %% [markdown]
# The slim base leaves out what an app never imports at run time (`ensurepip`, `idlelib`,
# `tkinter`, `lib2to3`, `unittest`, the byte-code caches...). Now one app, a small HTTP
# service from the standard library, packaged three ways. The naive Containerfile copies the
# whole build folder and then tries to clean up:

# %%
print(builds.NAIVE_FILE)

# %% [markdown]
# The multi-stage one builds in a first stage that has all the tools, and starts the final
# stage from nothing (`scratch`), copying in only what `bundle.py` collected: the interpreter,
# the libraries it links, the modules the app imports (zipped), and the app.

# %%
print(builds.MULTI_STAGE_FILE)

# %%
images = builds.build_app_images(engine, work, cache_bytes=CACHE_BYTES)
for kind, record in images.items():
    print(f"{kind:12} {record.size / 1e6:6.1f} MB  built in {record.build_seconds:4.1f} s")

# %% [markdown]
# The layers of the naive image, oldest first (`podman history`, empty layers left out):

# %%
for instruction, megabytes in builds.layer_table(images["naive"]):
    print(f"{megabytes:8.3f} MB  {instruction}")

# %%
fig, ax = plot_image_sizes(images)

# %% [markdown]
# **What to notice.**
# - The naive image's `COPY .` layer holds the build cache, and the later `RUN rm -rf` layer
#   is a few kilobytes that only *mark* it deleted: the image is as big as if it were never
#   removed. To keep a file out, keep it out of the layer (a `.containerignore`, a narrower
#   `COPY`), or build in another stage.
# - The multi-stage image is one layer, a fraction of the naive one: no shell, no package
#   tools, only the modules the app imports. It is also the smallest attack surface: there is
#   no `/bin/sh` for an attacker to run.
# - Build times include copying whole layers (the `vfs` driver copies each one); with the
#   overlay driver most engines use, layers are shared instead of copied.

# %% [markdown]
# ### Try it
# Move `RUN rm -rf /app/build-cache` into the same `RUN` that creates the files, or think how
# you would: why does that work where a separate `RUN` does not? Why does the order of `COPY`
# instructions matter for rebuild time?
# (Answer: [tryit/18 § 1](../solutions/tryit/18_deployment.md#1-layers-and-deletions).)

# %%
# Your experiment here.

# %% [markdown]
# ## 2. What is inside, and who runs it
#
# The naive image still has a shell, so anything can be run in it; the multi-stage image has
# no shell at all, and its configuration says it runs as user 10001, not root:

# %%
listing = engine.run("localhost/advpy/app:naive", ["sh", "-c", "ls /app; id -u"])
print("naive:", listing.stdout.split())
no_shell = engine.run("localhost/advpy/app:multi-stage", ["x"], timeout=60)
config = engine.inspect_image("localhost/advpy/app:multi-stage")["Config"]
print("multi-stage user:", config.get("User"), " entrypoint:", config.get("Entrypoint"))

# %% [markdown]
# **What to notice.** The naive image shipped its `tests/` folder and runs as root (uid 0).
# A process that breaks out of a container running as root is root on the machine unless user
# namespaces map it elsewhere; `USER 10001` costs nothing. (In the multi-stage image, the
# argument `x` went to the app as its port, because the `ENTRYPOINT` is fixed and only `CMD`
# is replaced: the app refused it, as the next cell shows.)

# %%
print("exit status:", no_shell.returncode, "|", no_shell.stderr.strip().splitlines()[-1])

# %% [markdown]
# ## 3. A memory limit the kernel enforces
#
# `--memory 48m` puts the container in a memory cgroup with a hard limit (and, with
# `--memory-swap` equal to it, no swap). The program below allocates 4 MB at a time and prints
# how much it holds. When the cgroup is full, the kernel's OOM killer sends it SIGKILL: no
# exception, no `finally`, exit status 137 (128 + 9).

# %%
LIMIT_MB = 48
oom = runtime.run_over_memory_limit(engine, "localhost/advpy/app:slim", LIMIT_MB)
print(f"limit {oom.limit_mb} MB; last reported {oom.last_reported_mb} MB; exit {oom.returncode}")
print("kernel:", oom.kernel_says or "(the kernel log is not readable here)")

# %%
print("podman's OOMKilled flag:", oom.oom_killed)

# %% [markdown]
# **What to notice.** The program got to within a few megabytes of the limit (the interpreter
# itself uses some) and was killed without a word of its own: from inside, an OOM kill looks
# like the power going off. Orchestrators report it (Kubernetes shows `OOMKilled`) and restart
# the container; the fix is a limit that fits the program's peak, measured, not guessed.
# podman's own `OOMKilled` flag, printed next, may stay `False` with runc on cgroup v1 (as on
# this machine): the exit status and the kernel's log are the evidence to read.

# %% [markdown]
# ## 4. Graceful shutdown and a rolling restart
#
# A rolling restart replaces replicas one at a time, so the service never stops. For each
# replica, Kubernetes starts the new one, waits for its readiness probe, then sends the old one
# **SIGTERM** and removes it from the Service's endpoints, both at once; after the grace
# period, SIGKILL. The removal takes a moment to reach every load balancer, so the old replica
# keeps getting requests for a while after SIGTERM (half a second here). The app can meet
# SIGTERM three ways:

# %%
for mode, meaning in runtime.SHUTDOWN_MODES.items():
    print(f"{mode:9} {meaning}")

# %% [markdown]
# The graceful app's handler is short: stop the accept loop, serve what the kernel already
# accepted, wait for the requests in progress, exit 0 (see `files/app.py`). Below, two replicas
# run behind a real nginx, client threads send `POST /work` requests (200 ms each) through it,
# and both replicas are replaced; nginx gets its new routes half a second after each SIGTERM.
# nginx retries a request on another replica when it could not send it (a refused
# connection); a `POST` already sent to a replica that dies is not retried, since it is not
# idempotent, so it comes back as `502`:

# %%
STOP_TIMEOUT = pick(full=3, fast=1)  # seconds between SIGTERM and SIGKILL
CLIENTS = pick(full=6, fast=4)
rollouts = [
    runtime.rolling_restart(
        engine, "localhost/advpy/app:multi-stage", mode, clients=CLIENTS, stop_timeout=STOP_TIMEOUT
    )
    for mode in runtime.SHUTDOWN_MODES
]
for r in rollouts:
    stops = ", ".join(f"{s:.1f} s" for s in r.stop_seconds)
    print(f"{r.mode:9} sent {r.sent:4}  dropped {r.dropped:2}  exits {r.exit_codes}  stops {stops}")

# %%
fig, ax = plot_rollouts(rollouts)

# %% [markdown]
# **What to notice.**
# - **abrupt**: SIGTERM's default action ends the process at once, and every request it was
#   working on is lost (exit 143 = 128 + 15); new ones are refused, and nginx retries those.
# - **ignored**: the app is process 1 in its container, and the kernel delivers no signal to
#   process 1 that it has no handler for. SIGTERM does nothing; the engine waits the whole
#   timeout and SIGKILLs (exit 137). Nothing was dropped only because the load balancer had
#   already moved away: every restart is slowed by the full grace period, and anything still
#   running at the kill is lost.
# - **graceful**: it stops accepting (nginx sends the late requests to the other replica),
#   finishes what it holds and exits 0 on its own: no request dropped, and no wait for
#   SIGKILL.
# - The shell form `CMD python3 app.py` makes `/bin/sh` process 1, which does not pass SIGTERM
#   on: the naive image above has exactly that problem. Use the exec form (a JSON array), or
#   an init such as `tini` (`podman run --init`) that forwards signals.

# %% [markdown]
# ### Try it
# nginx retried the requests the graceful app refused after SIGTERM. A cloud load balancer
# that does not retry, or one that takes several seconds to learn the endpoint is gone, would
# pass those refusals on to clients. What would you add to the graceful app, or to the
# Deployment, to survive that?
# (Answer: [tryit/18 § 2](../solutions/tryit/18_deployment.md#2-sigterm-before-the-endpoint-goes).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Kubernetes manifests from a values file
#
# No Kubernetes cluster runs on this machine (it needs a node agent, a container network and
# an API server), and neither does Helm. What both consume does run here: a **Deployment**
# (how many replicas of which pod, and how to replace them), a **Service** (one stable address
# in front of the pods whose labels match), and Helm's idea of **values**: what differs between
# deployments, kept apart from templates that do not. The values file:

# %%
values = yaml.safe_load(manifests.VALUES_YAML)
print(manifests.VALUES_YAML)

# %% [markdown]
# The templates are Jinja2 here (Helm uses Go templates; the idea is the same: values in, YAML
# out). `StrictUndefined` makes a value the template needs but the file lacks an error instead
# of an empty string, which Helm only does with `required`.

# %%
rendered = manifests.render(values)
documents = manifests.load_all(rendered)
print(rendered[:900], "...")

# %% [markdown]
# `kubernetes-validate` checks a manifest against the OpenAPI schema of a Kubernetes release,
# which it bundles: the check the API server would make, without a server.

# %%
for document in documents:
    print(document["kind"], manifests.validate(document) or "valid")

# %%
for path, value in [("replicas", "three"), ("port", "http"), ("resources.limits.memory", "lots")]:
    document = manifests.load_all(manifests.render(manifests.with_change(values, path, value)))[0]
    print(f"{path} = {value!r}:", manifests.validate(document) or "valid")

# %% [markdown]
# **What to notice.** The schema catches a wrong type and any unknown field (strict mode), but
# `memory: lots` passes: a quantity is a string in the schema, and only the API server parses
# it. Neither does any schema ask for resources, probes or a non-root user: a pod without them
# is valid. Those are **policies**, checked by a second tool in CI (kube-score, Polaris,
# Kyverno); the graded set writes one.

# %% [markdown]
# ## 6. A CI/CD pipeline, checked before it runs
#
# A GitHub Actions workflow is YAML that runs only on GitHub's machines, so a typo shows up
# after a push, as a failed run. `check-jsonschema` ships the workflow schema and checks the
# file here, offline:

# %%
print(manifests.WORKFLOW_YAML)

# %%
valid, report = manifests.check_workflow(manifests.WORKFLOW_YAML, work)
print(valid, "|", report)
typo = manifests.WORKFLOW_YAML.replace(
    "runs-on: ubuntu-24.04\n    steps", "runs_on: ubuntu-24.04\n    steps", 1
)
valid, report = manifests.check_workflow(typo, work)
print(valid, "|", report.splitlines()[-3].strip())

# %% [markdown]
# **What to notice.** `runs_on` for `runs-on` is caught before a push. The workflow itself
# follows the usual shape: tests on every push and pull request, the image built and pushed
# only from `main` and only after the tests pass (`needs: test`), and the least permissions
# each job needs. The notes also name **Terraform**, which creates the infrastructure (the
# cluster, the registry, the DNS names) from files in the same way; it is not installed here
# and talks to a cloud provider's API, so the lesson does not run it. The same habit applies:
# `terraform validate` and `terraform plan` in the pipeline, `apply` only from `main`.

# %% [markdown]
# ## 7. Nothing left behind
#
# Closing the engine stops and removes every container, every image and the store itself.
# Then the machine's network links and firewall rules are compared with the snapshot taken at
# the start:

# %%
engine.close()
subprocess.run(["rm", "-rf", str(work)], check=True)
print("store removed:", not engine.store.exists(), "| work folder removed:", not work.exists())
print("new links or firewall rules:", host.leftovers(host_before, host.snapshot()))

# %% [markdown]
# ## Pitfalls and under the hood
#
# **`rm` in a later layer.** It hides a file; the bytes stay in the image and in every pull.
# The same goes for secrets: a key copied in and deleted later is in the image's history for
# anyone to read. Pass secrets at build time with `RUN --mount=type=secret`, or at run time.
#
# **Process 1.** The kernel does not apply default signal actions to process 1 of a PID
# namespace: without a handler, SIGTERM and SIGINT do nothing. A shell-form `CMD` makes
# `/bin/sh` process 1, and it forwards nothing. Exec form, a handler, or `--init`.
#
# **Memory limits count the page cache too** (on cgroup v1 and v2 alike), and Python does not
# give freed memory back to the system at once: measure a service's peak under load before
# choosing a limit. A JVM or Python that reads the machine's memory instead of the cgroup's
# sizes its caches for memory it does not have.
#
# **`latest` is not a version.** A Deployment that says `image: app:latest` cannot be rolled
# back to "the previous latest"; tag images with a version or the commit, or pin the digest.
#
# **The selector is forever.** A Deployment's `spec.selector` cannot change once created: keep
# the version label out of it, or the next release has to delete and recreate the Deployment.
#
# **Published ports here.** `podman run -p` adds a bridge and NAT rules to the machine, which
# outlive a crashed notebook; this lesson uses the host's loopback instead. On a laptop with
# rootless podman or Docker Desktop, `-p 127.0.0.1:8080:8080` is the usual way.

# %% [markdown]
# ## The tools the notes name, and what ran here
#
# - **Docker and multi-stage builds**: podman 4.3 with runc, which reads the same
#   Containerfile syntax and makes the same image format; measured: three builds' sizes and
#   layers, an OOM kill at the memory limit, three shutdown styles counted.
# - **A load balancer**: nginx in front of the replicas, reloaded during each rolling restart;
#   measured: requests dropped per shutdown style.
# - **Kubernetes Deployment and Service**: no cluster runs here; the manifests are checked
#   against the Kubernetes 1.30 schema by `kubernetes-validate`; shown: what the schema
#   rejects (types, unknown fields) and what it lets through.
# - **Helm for configs**: Helm is not installed; a values file is rendered into the manifests
#   with Jinja2, the same idea; shown: a missing value is an error, not a blank.
# - **GitHub Actions**: the workflow checked offline by `check-jsonschema` against the
#   workflow schema; shown: a typo caught before a push.
# - **Terraform**: not run (not installed, and it works through a cloud provider's API); what
#   it does and where it goes in the pipeline are in section 6.

# %% [markdown]
# ## Summary
#
# - An image is a stack of layers; a later layer can hide a file but never remove it. A
#   multi-stage build keeps the tools in a build stage and ships only what runs: measured here,
#   a fraction of the naive image's size, with no shell and a non-root user.
# - A memory limit is enforced by the kernel with SIGKILL (exit 137), with no chance to clean
#   up.
# - Handle SIGTERM: stop accepting, finish what is in progress, exit 0. A process 1 without a
#   handler ignores SIGTERM and is killed after the grace period; one that dies at once drops
#   its requests. Counted here during rolling restarts behind nginx.
# - Kubernetes manifests rendered from values are checked against the real schema before any
#   cluster sees them; resources, probes and non-root are policies for a second check.
# - A CI workflow is validated before it runs, and deploys only what passed its tests.
#
# **Graded exercises:** [exercises/ps18_deployment.ipynb](exercises/ps18_deployment.ipynb):
# `containerfile` writes a multi-stage Containerfile whose final image holds only what runs,
# as a non-root user; `deployment_manifests` renders a Deployment and Service that validate
# and follow the rules; `policy_violations` reports the rules a manifest breaks.
