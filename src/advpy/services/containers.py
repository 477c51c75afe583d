"""A real container engine (podman, with runc) in a private store that is gone afterwards::

    with container_engine() as engine:
        engine.build(folder, "web:1")                  # a Containerfile in `folder`
        engine.run("web:1", ["python", "-c", "print(1)"]).stdout
        engine.image_size("web:1"), engine.layers("web:1")

Every engine keeps its images and containers in a temporary folder of its own (``--root``,
``--runroot``), never in the machine's store, with the settings that work as root on a machine
without systemd or a registry: the ``vfs`` storage driver (plain copies of each layer, no
overlay mount), ``cgroupfs`` and runc. Nothing can be pulled here, so images start ``FROM
scratch`` or from an image built in the same store.

Containers get no network of their own: ``network="none"`` (the default) or ``"host"``, where a
server inside binds 127.0.0.1 like any program of the machine. Ports are never published
(``-p``): that would create a bridge and iptables rules on the machine. Every run also sets
``nofile`` and ``nproc`` limits (podman's defaults fail where the machine's are unlimited).

:meth:`ContainerEngine.close` (the end of the ``with`` block, or interpreter exit) stops and
removes every container, removes every image and deletes the store. Containers run under
podman's ``conmon``, not under the watchdog the other services use: a notebook killed with
``SIGKILL`` can leave a detached container and its store (``/tmp/advpy-containers-*``) behind.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from advpy.services.errors import ServiceError, ServiceNotInstalled

#: The engine's executables and the Debian packages that bring them.
PROGRAMS = {"podman": "podman", "runc": "runc"}
#: Limits set on every container (podman copies the machine's, which may be unlimited and
#: then refused by runc).
ULIMITS = ("nofile=1024:1024", "nproc=1024:1024")
#: The networks a container may use: none, or the machine's own (bind 127.0.0.1 inside).
NETWORKS = ("none", "host")
#: The longest runroot podman accepts.
RUNROOT_LIMIT = 50
#: The prefix of every store folder, so that stale ones can be found and removed.
STORE_PREFIX = "advpy-containers-"


@dataclass(frozen=True)
class Layer:
    """One layer of an image, newest first as ``podman history`` lists them."""

    created_by: str
    size: int


@dataclass(frozen=True)
class RunResult:
    """A container that ran to its end: exit status, its output, and whether the kernel
    killed it for using more memory than its limit (exit status 137 = 128 + SIGKILL)."""

    returncode: int
    stdout: str
    stderr: str
    oom_killed: bool


def _which(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/local/sbin")
    if found is None:
        sudo = "" if getattr(os, "geteuid", lambda: -1)() == 0 else "sudo "
        raise ServiceNotInstalled(
            f"the container engine needs {name}, which is not installed.\n"
            f"Install it with:\n    {sudo}apt-get install podman runc    (Debian, Ubuntu)\n"
            "(macOS runs containers in a virtual machine: `brew install podman`, then "
            "`podman machine init`.)"
        )
    return found


class ContainerEngine:
    """podman with a private store; see the module's docstring."""

    def __init__(self, store: Path, podman: str, runc: str, runroot: Path | None = None) -> None:
        self.store = store
        self.runroot = runroot or store / "run"
        self.podman = podman
        self.runc = runc
        self._lock = threading.Lock()
        self.closed = False
        self._finalizer = weakref.finalize(self, _remove_store, podman, runc, store, self.runroot)

    # -- the command line -------------------------------------------------------------------
    def command(self, *arguments: str) -> list[str]:
        """The podman command line for ``arguments``, with this engine's store and settings."""
        return [
            self.podman,
            "--root",
            str(self.store / "root"),
            "--runroot",
            str(self.runroot),
            "--tmpdir",
            str(self.store / "tmp"),
            "--storage-driver",
            "vfs",
            "--cgroup-manager",
            "cgroupfs",
            "--events-backend",
            "file",
            "--runtime",
            self.runc,
            *arguments,
        ]

    def podman_run(
        self, *arguments: str, timeout: float = 300, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run one podman command; :class:`ServiceError` with its output if it fails."""
        if self.closed:
            raise ServiceError("this container engine is closed")
        done = subprocess.run(
            self.command(*arguments),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, "TMPDIR": str(self.store / "tmp")},
        )
        if check and done.returncode != 0:
            raise ServiceError(
                f"podman {arguments[0]} failed (exit status {done.returncode})",
                (done.stdout + done.stderr).strip().splitlines()[-20:],
            )
        return done

    # -- images -----------------------------------------------------------------------------
    def build(
        self, context: Path, tag: str, *, file: str = "Containerfile", layers: bool = True
    ) -> str:
        """Build the image ``tag`` from ``context`` (its ``file``); returns the image id."""
        arguments = ["build", "--quiet", f"--layers={str(layers).lower()}", "--network", "none"]
        arguments += ["-f", str(Path(context) / file), "-t", tag, str(context)]
        return self.podman_run(*arguments).stdout.strip().splitlines()[-1]

    def import_rootfs(self, rootfs: Path, tag: str, *, changes: Sequence[str] = ()) -> str:
        """Make the one-layer image ``tag`` from a folder that holds a whole root file system
        (how distributions make their base images); ``changes`` are Containerfile lines such
        as ``ENV PATH=/usr/bin:/bin``. Returns the image id."""
        archive = self.store / "tmp" / f"rootfs-{os.urandom(4).hex()}.tar"
        try:
            with tarfile.open(archive, "w") as tar:
                for item in sorted(Path(rootfs).iterdir()):
                    tar.add(item, arcname=item.name)
            arguments = ["import", "--quiet"]
            for change in changes:
                arguments += ["--change", change]
            return self.podman_run(*arguments, str(archive), tag).stdout.strip().splitlines()[-1]
        finally:
            archive.unlink(missing_ok=True)

    def inspect_image(self, tag: str) -> dict[str, Any]:
        """``podman image inspect`` of ``tag``, as a dict."""
        data: list[dict[str, Any]] = json.loads(self.podman_run("image", "inspect", tag).stdout)
        return data[0]

    def image_size(self, tag: str) -> int:
        """The image's size in bytes, as podman reports it (all its layers, uncompressed)."""
        return int(self.inspect_image(tag)["Size"])

    def layers(self, tag: str) -> list[Layer]:
        """The image's history: one entry per instruction, newest first, with the bytes it
        added (0 for instructions that change only the configuration)."""
        out = self.podman_run("history", "--no-trunc", "--format", "json", tag).stdout
        return [
            Layer(created_by=str(item.get("CreatedBy", "")), size=int(item.get("size", 0)))
            for item in json.loads(out)
        ]

    def images(self) -> list[str]:
        """The tags of every image in this store."""
        out = self.podman_run("images", "--format", "{{.Repository}}:{{.Tag}}").stdout
        return [line for line in out.splitlines() if line.strip()]

    # -- containers -------------------------------------------------------------------------
    def _run_arguments(
        self,
        image: str,
        command: Sequence[str],
        *,
        network: str,
        memory: str | None,
        name: str | None,
        env: dict[str, str] | None,
        stop_timeout: int | None,
        init: bool = False,
    ) -> list[str]:
        if network not in NETWORKS:
            raise ValueError(
                f"network is 'none' or 'host' (bound to 127.0.0.1 inside), not {network!r}: "
                "published ports (-p) would add a bridge and iptables rules to the machine"
            )
        arguments = ["--network", network]
        if init:
            arguments.append("--init")  # a tiny init as process 1, which forwards signals
        for limit in ULIMITS:
            arguments += ["--ulimit", limit]
        if memory is not None:
            arguments += ["--memory", memory, "--memory-swap", memory]
        if name is not None:
            arguments += ["--name", name]
        if stop_timeout is not None:
            arguments += ["--stop-timeout", str(stop_timeout)]
        for key, value in (env or {}).items():
            arguments += ["--env", f"{key}={value}"]
        return [*arguments, image, *command]

    def run(
        self,
        image: str,
        command: Sequence[str] = (),
        *,
        network: str = "none",
        memory: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> RunResult:
        """Run a container to its end and remove it; returns its status and output."""
        name = f"run-{os.urandom(4).hex()}"
        arguments = self._run_arguments(
            image,
            command,
            network=network,
            memory=memory,
            name=name,
            env=env,
            stop_timeout=None,
        )
        try:
            done = self.podman_run("run", *arguments, timeout=timeout, check=False)
            state = self.podman_run("inspect", name, "--format", "{{.State.OOMKilled}}")
            oom = state.stdout.strip() == "true"
        finally:
            self.podman_run("rm", "--force", name, check=False)
        return RunResult(done.returncode, done.stdout, done.stderr, oom)

    def start(
        self,
        image: str,
        command: Sequence[str] = (),
        *,
        name: str,
        network: str = "none",
        memory: str | None = None,
        env: dict[str, str] | None = None,
        stop_timeout: int = 10,
        init: bool = False,
    ) -> str:
        """Start a container in the background (detached); returns its id. With ``init``,
        podman's small init (catatonit) runs as process 1 and forwards signals to the command,
        which then gets the default action of a signal it does not handle."""
        arguments = self._run_arguments(
            image,
            command,
            network=network,
            memory=memory,
            name=name,
            env=env,
            stop_timeout=stop_timeout,
            init=init,
        )
        return self.podman_run("run", "--detach", *arguments).stdout.strip()

    def stop(self, name: str, *, timeout: int = 10) -> int:
        """Send the container its stop signal (SIGTERM), wait up to ``timeout`` seconds, then
        SIGKILL; returns its exit status. The container is removed afterwards."""
        self.podman_run("stop", "--time", str(timeout), name, timeout=timeout + 60)
        status = self.podman_run("inspect", name, "--format", "{{.State.ExitCode}}")
        self.podman_run("rm", "--force", name)
        return int(status.stdout.strip())

    def logs(self, name: str) -> str:
        """What the container wrote so far (standard output and error)."""
        done = self.podman_run("logs", name)
        return done.stdout + done.stderr

    def containers(self) -> list[str]:
        """The names of every container in this store, running or not."""
        out = self.podman_run("ps", "--all", "--format", "{{.Names}}").stdout
        return [line for line in out.splitlines() if line.strip()]

    # -- the end ----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop and remove every container, every image and the store itself."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
        self._finalizer()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<ContainerEngine {state} store={self.store}>"


def _remove_store(podman: str, runc: str, store: Path, runroot: Path) -> None:
    """Remove every container and image of ``store``, then the folder (also at exit)."""
    if not store.exists():
        return
    base = [podman, "--root", str(store / "root"), "--runroot", str(runroot)]
    base += ["--storage-driver", "vfs", "--cgroup-manager", "cgroupfs"]
    base += ["--events-backend", "file", "--runtime", runc]
    for arguments in (["rm", "--all", "--force", "--time", "0"], ["rmi", "--all", "--force"]):
        subprocess.run(base + arguments, capture_output=True, timeout=120, check=False)
    subprocess.run(
        ["umount", "--recursive", "--lazy", str(runroot)], capture_output=True, check=False
    )
    shutil.rmtree(runroot, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)


_ENGINES: weakref.WeakSet[ContainerEngine] = weakref.WeakSet()


def _close_all() -> None:
    for engine in list(_ENGINES):
        engine.close()


atexit.register(_close_all)


def container_engine() -> ContainerEngine:
    """A container engine with a store of its own in a temporary folder; use it in a ``with``
    block (or call ``close()``). :class:`ServiceNotInstalled` names the package to install when
    podman or runc is missing."""
    podman = _which("podman")
    runc = _which("runc")
    store = Path(tempfile.mkdtemp(prefix=STORE_PREFIX))
    for part in ("root", "run", "tmp"):
        (store / part).mkdir()
    runroot = None
    if len(str(store / "run")) > RUNROOT_LIMIT:  # a long TMPDIR: podman refuses such a runroot
        runroot = Path(tempfile.mkdtemp(prefix="advpy-podman-", dir="/tmp"))
    engine = ContainerEngine(store, podman, runc, runroot)
    _ENGINES.add(engine)
    return engine
