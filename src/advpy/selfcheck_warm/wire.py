"""What the warm self-check's processes share: their private folder, how a process proves it
runs the same Python in the same setting, and the framed messages they exchange.

Standard library only: the ``advpy check`` client and the kernel template import this module,
and neither may pay for (or, in the template's case, carry into every kernel) anything more.
"""

from __future__ import annotations

import array
import hashlib
import json
import os
import resource
import socket
import stat
import struct
import sys
from pathlib import Path
from typing import Any

#: Names another folder for the server's sockets (tests use a temporary one).
DIR_ENV = "ADVPY_CHECK_DIR"
#: Set to anything but ``0`` or empty to always run checks the cold way (a fresh kernel).
COLD_ENV = "ADVPY_CHECK_COLD"
#: Seconds the warm server waits for a check before it stops itself.
IDLE_ENV = "ADVPY_CHECK_IDLE"
DEFAULT_IDLE = 600.0

CHECK_SOCKET = "check.sock"  # the dispatcher: ``advpy check`` connects here
KERNEL_SOCKET = "kernel.sock"  # the kernel template: the dispatcher's children connect here
LOCK_FILE = "server.lock"  # held by the kernel template for as long as it lives
PID_FILE = "server.pid"  # "<template pid> <dispatcher pid>"
LOG_FILE = "server.log"

#: Variables that differ between two shells of one session (or change with the terminal's
#: size) and that no module reads when it is imported: they do not make a warm server stale
#: (the kernel still gets their values).
VOLATILE_ENV = frozenset({"PWD", "OLDPWD", "SHLVL", "_", "COLUMNS", "LINES", "PYTEST_CURRENT_TEST"})
#: Longest socket path the kernel accepts (``sun_path`` holds 108 bytes with its NUL).
_MAX_SOCKET_PATH = 100
_HEADER = struct.Struct("!I")
#: Largest message accepted (a request carries the environment, a reply the scores).
MAX_MESSAGE = 16 * 1024 * 1024


class WireError(Exception):
    """A peer closed the connection or sent something that is not a message."""


def server_dir(create: bool = True) -> Path | None:
    """The private folder of this user's warm server, made if missing; ``None`` when no folder
    is safe to use (then checks run the cold way).

    ``$ADVPY_CHECK_DIR`` if set, else ``$XDG_RUNTIME_DIR/advpy`` (a per-user folder that lives
    as long as the login session), else ``~/.cache/advpy/check``. The folder must be a real
    directory owned by this user and closed to everyone else (mode 0700): anyone who could
    reach the sockets in it could run code as this user and answer this user's checks.
    """
    override = os.environ.get(DIR_ENV, "").strip()
    runtime = os.environ.get("XDG_RUNTIME_DIR", "").strip()
    if override:
        folder = Path(override).expanduser()
    elif runtime and _is_private(Path(runtime)):
        folder = Path(runtime) / "advpy"
    else:
        folder = Path.home() / ".cache" / "advpy" / "check"
    if len(str(folder / KERNEL_SOCKET)) > _MAX_SOCKET_PATH:
        return None
    if create:
        try:
            old_mask = os.umask(0o077)
            try:
                folder.mkdir(parents=True, exist_ok=True)
            finally:
                os.umask(old_mask)
        except OSError:
            return None
    return folder if _is_private(folder) else None


def _is_private(folder: Path) -> bool:
    try:
        info = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    )


def identity() -> dict[str, Any]:
    """What a warm server cannot change once it has started and what a check's kernel
    inherits from it: the interpreter and its version, this package's version, the
    environment (but :data:`VOLATILE_ENV`), the user's ids and the resource limits.

    A check whose identity differs from the server's is not answered by it: the server stops
    and a new one starts with this check's setting.
    """
    import advpy

    return {
        "executable": sys.executable,
        "version": sys.version,
        "implementation": sys.implementation.name,
        "advpy": advpy.__version__,
        "env": {k: v for k, v in os.environ.items() if k not in VOLATILE_ENV},
        "ids": [os.getuid(), os.getgid(), sorted(os.getgroups())],
        "limits": {
            name: list(resource.getrlimit(getattr(resource, name)))
            for name in sorted(dir(resource))
            if name.startswith("RLIMIT_")
        },
    }


def differences(mine: dict[str, Any], theirs: object) -> list[str]:
    """What differs between two identities: the parts, and the names of the variables."""
    if not isinstance(theirs, dict):
        return ["everything"]
    found = [
        key
        for key in sorted(set(mine) | set(theirs))
        if key != "env" and mine.get(key) != theirs.get(key)
    ]
    env, other = mine.get("env", {}), theirs.get("env", {})
    if isinstance(other, dict):
        found += [f"${k}" for k in sorted(set(env) | set(other)) if env.get(k) != other.get(k)]
    else:
        found.append("env")
    return found


def code_state(paths: list[str], package: Path, files: tuple[Path, ...] = ()) -> str:
    """A digest of the code a server has loaded and its kernels will import: when each folder
    on ``sys.path`` last changed (installing or removing a package changes its folder), every
    source file of :mod:`advpy` (a course update, or a learner editing a helper), and the
    other ``files`` (the kernel spec)."""
    digest = hashlib.sha256()
    for entry in [*paths, *map(str, files)]:
        try:
            digest.update(f"{entry}:{os.stat(entry).st_mtime_ns}\n".encode())
        except OSError:
            digest.update(f"{entry}:-\n".encode())
    for source in sorted(package.rglob("*.py")):
        try:
            info = source.stat()
        except OSError:
            continue
        digest.update(f"{source}:{info.st_mtime_ns}:{info.st_size}\n".encode())
    return digest.hexdigest()


def peer_is_me(sock: socket.socket) -> bool:
    """True when the process at the other end of the Unix socket runs as this user."""
    try:
        credentials = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", credentials)
    return uid == os.geteuid()


class Channel:
    """Length-framed JSON messages over a connected Unix stream socket, each optionally
    carrying open file descriptors (``SCM_RIGHTS``)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.fds: list[int] = []

    def send(self, message: dict[str, Any], fds: list[int] | tuple[int, ...] = ()) -> None:
        data = json.dumps(message).encode()
        payload = _HEADER.pack(len(data)) + data
        if fds:
            sent = socket.send_fds(self.sock, [payload], list(fds))
            payload = payload[sent:]
        if payload:
            self.sock.sendall(payload)

    def receive(self) -> tuple[dict[str, Any], list[int]]:
        """The next message and the descriptors that came with it; raises :class:`WireError`
        when the peer closes first."""
        while True:
            if len(self.buffer) >= _HEADER.size:
                (size,) = _HEADER.unpack_from(self.buffer)
                if size > MAX_MESSAGE:
                    raise WireError("message too large")
                if len(self.buffer) >= _HEADER.size + size:
                    data = bytes(self.buffer[_HEADER.size : _HEADER.size + size])
                    del self.buffer[: _HEADER.size + size]
                    fds, self.fds = self.fds, []
                    try:
                        message = json.loads(data)
                    except ValueError as error:
                        _close_all(fds)
                        raise WireError(f"not a message: {error}") from error
                    if not isinstance(message, dict):
                        _close_all(fds)
                        raise WireError("not a message")
                    return message, fds
            chunk = self._read()
            if not chunk:
                raise WireError("the other side closed the connection")
            self.buffer += chunk

    def _read(self) -> bytes:
        fds = array.array("i")
        data, ancillary, _flags, _address = self.sock.recvmsg(
            1 << 16, socket.CMSG_SPACE(8 * fds.itemsize)
        )
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                usable = len(payload) - len(payload) % fds.itemsize
                fds.frombytes(payload[:usable])
        self.fds.extend(fds)
        return data

    def close(self) -> None:
        _close_all(self.fds)
        self.fds = []
        self.sock.close()


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def connect(path: Path, timeout: float | None = None) -> Channel:
    """A channel to the server listening at ``path``, checked to run as this user; raises
    :class:`OSError` when nothing (or someone else) listens there."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(str(path))
        sock.settimeout(None)
        if not peer_is_me(sock):
            raise PermissionError(f"{path} is served by another user")
    except BaseException:
        sock.close()
        raise
    return Channel(sock)


def idle_seconds() -> float:
    """How long the warm server waits for a check before it stops (``$ADVPY_CHECK_IDLE``)."""
    try:
        return max(1.0, float(os.environ.get(IDLE_ENV, "") or DEFAULT_IDLE))
    except ValueError:
        return DEFAULT_IDLE


def supported() -> bool:
    """True where the warm server can work: Linux (descriptor passing, peer credentials and
    process descriptors). Elsewhere every check runs the cold way."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "pidfd_open")
        and hasattr(socket, "SO_PEERCRED")
        and hasattr(socket, "send_fds")
    )


def cold_requested() -> bool:
    """True when ``$ADVPY_CHECK_COLD`` asks for the cold path."""
    return os.environ.get(COLD_ENV, "").strip() not in ("", "0")
