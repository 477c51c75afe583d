"""The sandbox a submission runs in: a bubblewrap (``bwrap``) command line.

Inside it a notebook sees a read-only system (the Python installation, the course's virtual
environment and the ``advpy`` package, nothing else of the machine's files: no course folder,
no gradebook, no ``source/``, no other student's work), no network, and its own process, IPC
and host name namespaces. When the grader run as root, the code inside also runs as an
unprivileged user of its own (so a process limit can be counted), with no capabilities. Limits
of memory, processes and file size are set per notebook by the worker inside
(:mod:`advpy.grade.worker`); the wall-clock limit is enforced both inside and from outside.

What a notebook can write is all in memory and all bounded, and nothing of it is on the
machine's disks:

- ``/tmp`` is a tmpfs of :attr:`Limits.tmp_size` less the share of ``/dev/shm``, and the home
  folder lives inside it (``/home/learner`` is a link to :data:`HOME_STORE`), so the home and
  ``/tmp`` share one budget: no host folder is ever bound writable;
- ``/dev/shm`` (multiprocessing's locks and queues) is a tmpfs of the rest of that budget;
- the sandbox's own root and ``/dev`` are remounted read-only once built (left writable, they
  would be unbounded tmpfs in a user namespace).

When the worker runs as a user of its own, the sandbox's ``/etc/passwd`` and ``/etc/group``
are the machine's with one line more that names that user (``learner``, home
:data:`HOME`): servers a graded test starts (PostgreSQL's ``initdb``) refuse to run as a user
id without a name.

The submission's files reach the notebook through :data:`INBOX`, a host folder bound read-only
that holds only the files of the notebook about to run: the worker copies them into the home
folder (counted against the budget) before each notebook, and empties ``/tmp`` (home
included) and ``/dev/shm`` after it, so the next notebook in the same warm worker starts clean.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

#: The notebook's home folder inside the sandbox (a link to :data:`HOME_STORE`).
HOME = "/home/learner"
#: Where the home folder's files are kept: inside ``/tmp``, so that both share one size limit.
HOME_STORE = "/tmp/.learner-home"
#: Where the submission's files are bound read-only inside the sandbox, to be copied home.
INBOX = "/submission"
#: Everything a notebook can write, emptied by the worker after each notebook.
WRITABLE = ("/tmp", "/dev/shm")
#: The part of :attr:`Limits.tmp_size` given to ``/dev/shm`` (the rest holds ``/tmp`` and home).
SHM_SHARE = 8
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
    tmp_size: int = 256 * 1024 * 1024  # bytes of everything written: home, /tmp, /dev/shm

    @property
    def shm_size(self) -> int:
        """Bytes of ``/dev/shm``, out of :attr:`tmp_size`."""
        return self.tmp_size // SHM_SHARE

    @property
    def tmp_and_home_size(self) -> int:
        """Bytes of ``/tmp`` and the home folder together, out of :attr:`tmp_size`."""
        return self.tmp_size - self.shm_size


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


#: The name the worker's own user has inside the sandbox (see :func:`prepare_identity`).
LEARNER = "learner"


def prepare_identity(folder: Path, index: int) -> None:
    """Write into ``folder`` (on the host) the ``passwd`` and ``group`` files the sandbox shows:
    the machine's, and a line for worker ``index``'s own user and group, named
    :data:`LEARNER`. Only used when the grader runs as root (see :func:`privileged`)."""
    uid = worker_uid(index)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)
    lines = {
        "passwd": f"{LEARNER}:x:{uid}:{uid}:advpy learner:{HOME}:/usr/sbin/nologin\n",
        "group": f"{LEARNER}:x:{uid}:\n",
    }
    for name, line in lines.items():
        system = Path("/etc") / name
        text = system.read_text() if system.is_file() else ""
        if text and not text.endswith("\n"):
            text += "\n"
        target = folder / name
        target.write_text(text + line)
        target.chmod(0o644)


def sandbox_command(
    bwrap: str,
    inbox: Path,
    masked: list[Path],
    limits: Limits,
    index: int,
    identity: Path | None = None,
) -> list[str]:
    """The command that starts one grading worker inside a fresh sandbox.

    ``inbox`` (on the host) is bound read-only at :data:`INBOX`; ``masked`` are folders hidden
    behind an empty tmpfs should they lie inside a read-only root (the course folder, the
    gradebook's folder); ``identity`` is the folder :func:`prepare_identity` wrote, bound over
    ``/etc/passwd`` and ``/etc/group`` when the worker runs as a user of its own."""
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
    command += ["--perms", "1777", "--size", str(limits.shm_size), "--tmpfs", "/dev/shm"]
    # The private /tmp, which holds the home folder, comes before the read-only roots: a course
    # checked out under /tmp (as CI may do) must still be bound on top of it, not beneath it.
    command += ["--perms", "1777", "--size", str(limits.tmp_and_home_size), "--tmpfs", "/tmp"]
    command += ["--perms", "1777", "--dir", HOME_STORE]
    made: set[Path] = set()
    command += _parent_dirs(roots, made)
    for root in roots:
        command += ["--ro-bind", str(root), str(root)]
    bound = [*roots, *(Path("/") / n for n in ("usr", "etc", "lib", "lib64", "bin", "sbin"))]
    for hidden in masked:
        if any(root == hidden or root in hidden.parents for root in bound):
            command += ["--tmpfs", str(hidden)]
    command += _parent_dirs([Path(HOME), Path(INBOX)], made)
    command += ["--symlink", HOME_STORE, HOME, "--ro-bind", str(inbox), INBOX]
    if privileged() and identity is not None:
        for name in ("passwd", "group"):
            command += ["--ro-bind", str(identity / name), f"/etc/{name}"]
    # Built: the sandbox's own root and /dev may not be written to (unbounded, never emptied).
    command += ["--remount-ro", "/", "--remount-ro", "/dev"]
    command += ["--chdir", HOME, "--clearenv"]
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
    """Make the host folder that is the notebook's home without a sandbox, owned by the
    worker's user."""
    home.mkdir(parents=True, exist_ok=True)
    if privileged():
        uid = worker_uid(index)
        os.chown(home, uid, uid)
    home.chmod(0o700)


def prepare_inbox(inbox: Path) -> None:
    """Make the host folder bound read-only at :data:`INBOX`: readable by the worker's user
    (its files are made readable as they are put in), writable by the grader only."""
    inbox.mkdir(parents=True, exist_ok=True)
    inbox.chmod(0o755)


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
