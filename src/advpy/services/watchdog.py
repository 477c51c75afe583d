"""The watchdog that stands between a notebook and one server process, so the server cannot
outlive the notebook, however the notebook ends.

Run by :class:`advpy.services.lifecycle.ServerProcess` as a program of its own, with only the
standard library (``python -I -S watchdog.py OPTIONS -- COMMAND...``)::

    kernel --pipe--> watchdog --starts--> server (leads its own process group)
                                          `-- its workers, in that group

Why a separate process, and why these mechanisms:

- **A pipe as a lifeline.** The notebook holds the write end of the watchdog's standard input
  and never writes to it until it wants the server stopped. When the notebook's process ends,
  by a normal exit, a crash, or ``SIGKILL`` from a kernel restart, the operating system closes
  every file it held, so the watchdog reads end-of-file. That happens whichever thread of the
  notebook started the server, unlike the parent-death signal below.
- **The parent-death signal** (Linux ``prctl(PR_SET_PDEATHSIG)``) is a second line: the
  kernel sends the watchdog ``SIGTERM`` when its parent *thread* ends. The notebook asks for it
  only when it starts the watchdog from its main thread, which lives as long as the process;
  from any other thread, a thread pool's for instance, the signal would fire when that thread
  ended and kill a server still in use. It covers what the pipe cannot: a child the notebook
  forked (``multiprocessing`` with ``fork``) inherits the pipe's write end and would keep it
  open after the notebook died.
- **A process group of its own.** The server starts a new session, so it leads a process group
  that also holds its workers (nginx's worker processes, PostgreSQL's background processes).
  Stopping sends the server its own stop signal, waits, then kills whatever is left of the group:
  killing only the master would leave nginx's workers serving. The new session also keeps the
  server out of the notebook's process group, so interrupting a kernel (which Jupyter does by
  signalling the kernel's group) does not interrupt its servers.
- The server gets a parent-death signal too (its stop signal), in case the watchdog itself is
  killed.

Protocol on the pipes: the watchdog writes ``pid N`` once the server runs (or ``error TEXT``
when it could not start), and ``exited STATUS`` if the server ends on its own. The notebook
writes ``stop`` for a normal stop, after which it reads the log and removes the data folder
itself. End-of-file without ``stop`` means the notebook is gone: the watchdog stops the server
and removes the data folder (``--remove``) so nothing is left behind.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
#: What the watchdog takes as "stop now": its parent-death signal, or a plain kill.
STOP_SIGNALS = {signal.SIGTERM, signal.SIGHUP}


class Orphaned(Exception):
    """The notebook is gone (or the watchdog was told to end): stop everything."""


def set_parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent thread ends."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def report(text: str) -> None:
    """One line to the notebook; it may be gone already, and that is fine."""
    try:
        os.write(1, (text + "\n").encode())
    except OSError:
        pass


#: Set by the first stop signal: later ones (the parent's death often brings two) are ignored,
#: so none can strike again while the server is being stopped and its folder removed.
_stopping = False


def _ignore_stop_signals() -> None:
    global _stopping
    _stopping = True


def _on_signal(signum: int, frame: object) -> None:
    if _stopping:
        return
    _ignore_stop_signals()
    raise Orphaned(f"signal {signum}")


class Server:
    """The server process, observed without reaping it too early.

    It is reaped only after the rest of its group is killed: while it is an unreaped zombie its
    process id (which is also its group's id) cannot be given to another process, so the final
    ``killpg`` can only reach the server's own group.
    """

    def __init__(self, command: list[str], stop_signal: int) -> None:
        def in_child() -> None:  # runs between fork and exec; the watchdog has one thread
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # the mask is inherited
            set_parent_death_signal(stop_signal)

        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=2,  # the log file the notebook opened as the watchdog's stderr
            stderr=2,
            start_new_session=True,
            preexec_fn=in_child,
        )
        self.pid = self.process.pid
        self.stop_signal = stop_signal
        self.reaped = False
        self.pidfd = -1
        if hasattr(os, "pidfd_open"):
            try:
                self.pidfd = os.pidfd_open(self.pid)
            except OSError:
                self.pidfd = -1

    def has_exited(self) -> bool:
        """True once the server has ended (reaped or not)."""
        if self.reaped:
            return True
        try:
            info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return True
        return info is not None

    def wait_exit(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the server to end; True if it did."""
        deadline = time.monotonic() + seconds
        while not self.has_exited():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if self.pidfd >= 0:
                select.select([self.pidfd], [], [], left)
            else:
                time.sleep(min(left, 0.02))
        return True

    def kill_group(self) -> None:
        """SIGKILL whatever is left of the server's process group, then reap the server."""
        if self.reaped:
            return
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.reaped = True
        if self.pidfd >= 0:
            os.close(self.pidfd)
            self.pidfd = -1

    def stop(self, grace: float) -> None:
        """The server's own stop signal, ``grace`` seconds to finish, then SIGKILL the group."""
        if not self.has_exited():
            try:
                os.kill(self.pid, self.stop_signal)
            except ProcessLookupError:
                pass
            self.wait_exit(grace)
        self.kill_group()

    def status(self) -> int:
        return self.process.returncode if self.process.returncode is not None else -1


def parse(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """``--name value`` options (``--pdeathsig`` takes none) up to ``--``, then the command."""
    options: dict[str, str] = {}
    args = list(argv)
    while args and args[0] != "--":
        name = args.pop(0).removeprefix("--")
        options[name] = "1" if name == "pdeathsig" else args.pop(0)
    return options, args[1:]


def watch(server: Server, grace: float, remove: str) -> int:
    """Wait for ``stop`` or end-of-file on stdin, reporting the server's exit meanwhile."""
    normal_stop = False
    try:
        # A stop signal that came while the server started is delivered here, inside the try.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        while True:
            waiting = [0]
            if not server.reaped and server.pidfd >= 0:
                waiting.append(server.pidfd)
            timeout = None if server.reaped or server.pidfd >= 0 else 0.05
            readable, _, _ = select.select(waiting, [], [], timeout)
            if 0 in readable:
                data = os.read(0, 4096)
                if not data:
                    _ignore_stop_signals()
                    raise Orphaned("end of file")
                if b"stop" in data:
                    _ignore_stop_signals()
                    normal_stop = True
                    break
            if not server.reaped and server.has_exited():
                server.kill_group()  # its leftover workers, if any
                report(f"exited {server.status()}")
    except Orphaned:
        pass
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    server.stop(grace)
    if not normal_stop and remove:
        remove_folder(remove)
    return 0


def remove_folder(folder: str, seconds: float = 3.0) -> None:
    """Remove the server's folder, again while something still writes into it (a server's
    last file can land between the listing and the removal), for up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        shutil.rmtree(folder, ignore_errors=True)
        if not os.path.exists(folder) or time.monotonic() > deadline:
            return
        time.sleep(0.05)


def main(argv: list[str]) -> int:
    # Until the server runs and is watched, a stop signal waits (blocked) instead of striking
    # between starting the server and watching it.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # interrupting the kernel is not stopping
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_signal)
    options, command = parse(argv)
    stop_signal = int(options.get("stop-signal", signal.SIGTERM))
    grace = float(options.get("grace", "5"))
    remove = options.get("remove", "")
    if options.get("pdeathsig") and set_parent_death_signal(signal.SIGTERM):
        parent = int(options.get("parent", "0"))
        if parent and os.getppid() != parent:  # it ended before the signal was set up
            if remove:
                remove_folder(remove)
            return 0
    try:
        server = Server(command, stop_signal)
    except (OSError, subprocess.SubprocessError) as error:
        report(f"error {error}")
        print(f"advpy.services: could not start {command[0]}: {error}", file=sys.stderr)
        return 127
    report(f"pid {server.pid}")
    return watch(server, grace, remove)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
