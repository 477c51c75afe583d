"""The sandbox a submission runs in: a bubblewrap (``bwrap``) command line.

Inside it a notebook sees a read-only system (the Python installation, the course's virtual
environment and the ``advpy`` package, nothing else of the machine's files: no course folder,
no gradebook, no ``source/``, no other student's work), one writable private folder holding a
copy of its own submission, a private ``/tmp``, no network, and its own process, IPC and host
name namespaces. When the grader run as root, the code inside also runs as an unprivileged user
of its own (so a process limit can be counted), with no capabilities. Limits of memory, CPU
time, processes and file size are set per notebook by the worker inside
(:mod:`advpy.grade.worker`); the wall-clock limit is enforced both inside and from outside.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: Where the submission's private folder appears inside the sandbox.
HOME = "/home/learner"
INSTALL_HINT = (
    "advpy grade runs every submission inside bubblewrap, which is not installed. "
    "Install it (Debian/Ubuntu: `sudo apt-get install bubblewrap`; Fedora: `sudo dnf install "
    "bubblewrap`), or pass --unsafe-no-sandbox to grade without any protection (only for "
    "code you trust: it can then read the hidden tests and change the gradebook)."
)


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot create a sandbox here; the message says what to do."""


@dataclass(frozen=True)
class Limits:
    """What one notebook may use."""

    timeout: float = 300.0  # seconds of wall-clock time for the whole notebook
    memory_mb: int = 2048  # address space beyond what the warm worker already uses
    processes: int = 64  # processes and threads the notebook's user may have at once
    file_size: int = 64 * 1024 * 1024  # bytes of any one file written
    tmp_size: int = 256 * 1024 * 1024  # bytes of the private /tmp and home folder together


def find_bwrap() -> str:
    """The path of a working ``bwrap``, or raise :class:`SandboxUnavailable`."""
    path = shutil.which("bwrap")
    if path is None:
        raise SandboxUnavailable(INSTALL_HINT)
    probe = subprocess.run(
        [path, "--ro-bind", "/", "/", "--dev", "/dev", "--unshare-net", "true"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if probe.returncode != 0:
        raise SandboxUnavailable(
            f"bubblewrap is installed but cannot create a sandbox here ({probe.stderr.strip()}). "
            "It needs user namespaces (or root). Fix that, or pass --unsafe-no-sandbox to "
            "grade without protection (only for code you trust)."
        )
    return path


def privileged() -> bool:
    """True when running as root: the sandbox then switches to a user of its own."""
    return os.geteuid() == 0


def read_only_roots() -> list[Path]:
    """The folders a notebook needs to read: the Python installation, this environment and
    the folder holding the ``advpy`` package."""
    import advpy

    package_parent = Path(advpy.__file__).resolve().parent.parent
    roots = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), package_parent}
    # Keep only the outermost of nested roots.
    return sorted(r for r in roots if not any(o != r and o in r.parents for o in roots))


def _system_entries() -> list[str]:
    arguments: list[str] = []
    for name in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"):
        path = Path("/") / name
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            arguments += ["--ro-bind", str(path), str(path)]
    return arguments


def _parent_dirs(paths: list[Path], made: set[Path]) -> list[str]:
    arguments: list[str] = []
    for path in paths:
        for parent in reversed(path.parents):
            if parent == Path("/") or parent in made or str(parent).startswith("/usr"):
                continue
            made.add(parent)
            arguments += ["--perms", "0755", "--dir", str(parent)]
    return arguments


def worker_uid(index: int) -> int:
    """The unprivileged user id worker ``index`` of this grader runs as (root only): one per
    worker, so that each worker's process limit counts only its own notebook."""
    return 0x10000000 + (os.getpid() % 0x100000) * 64 + index % 64


def sandbox_command(
    bwrap: str,
    home: Path,
    masked: list[Path],
    limits: Limits,
    index: int,
) -> list[str]:
    """The command that starts one grading worker inside a fresh sandbox.

    ``home`` (on the host) is bound read-write as the notebook's private folder; ``masked``
    are folders hidden behind an empty tmpfs should they lie inside a read-only root (the
    course folder, the gradebook's folder)."""
    roots = read_only_roots()
    env = {
        "PATH": f"{Path(sys.prefix) / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/.matplotlib",
        "IPYTHONDIR": "/tmp/.ipython",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if os.environ.get("ADVPY_FAST"):
        env["ADVPY_FAST"] = os.environ["ADVPY_FAST"]
    command = [bwrap, "--die-with-parent", "--new-session"]
    if privileged():
        # No user namespace: the sandbox is made as root, then the worker becomes a user of
        # its own (setpriv), keeping no capability.
        command += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts"]
        command += ["--unshare-cgroup-try", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        command += ["--unshare-all"]
    command += _system_entries()
    command += ["--proc", "/proc", "--dev", "/dev"]
    # Shared memory for multiprocessing's locks and queues, writable by the worker's user.
    command += ["--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/dev/shm"]
    # The private /tmp comes before the read-only roots: a course checked out under /tmp (as
    # CI may do) must still be bound on top of it, not hidden beneath it.
    command += ["--perms", "1777", "--size", str(limits.tmp_size), "--tmpfs", "/tmp"]
    made: set[Path] = set()
    command += _parent_dirs(roots, made)
    for root in roots:
        command += ["--ro-bind", str(root), str(root)]
    bound = [*roots, *(Path("/") / n for n in ("usr", "etc", "lib", "lib64", "bin", "sbin"))]
    for hidden in masked:
        if any(root == hidden or root in hidden.parents for root in bound):
            command += ["--tmpfs", str(hidden)]
    command += _parent_dirs([Path(HOME)], made)
    command += ["--bind", str(home), HOME, "--chdir", HOME, "--clearenv"]
    for key, value in env.items():
        command += ["--setenv", key, value]
    if privileged():
        uid = str(worker_uid(index))
        command += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
        command += ["--inh-caps=-all"]
    command += [sys.executable, "-m", "advpy.grade.worker", "--sandboxed"]
    return command


def unsandboxed_command() -> list[str]:
    """The worker without a sandbox (``--unsafe-no-sandbox``): same code, no protection."""
    return [sys.executable, "-m", "advpy.grade.worker"]


def prepare_home(home: Path, index: int) -> None:
    """Make the host folder bound as the notebook's home, owned by the worker's user."""
    home.mkdir(parents=True, exist_ok=True)
    if privileged():
        uid = worker_uid(index)
        os.chown(home, uid, uid)
    home.chmod(0o700)


def give_to_worker(path: Path, index: int) -> None:
    """Hand ``path`` (a file or folder tree put into the home folder) to the worker's user."""
    if not privileged():
        return
    uid = worker_uid(index)
    os.chown(path, uid, uid, follow_symlinks=False)
    if path.is_dir() and not path.is_symlink():
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                os.chown(os.path.join(root, name), uid, uid, follow_symlinks=False)
