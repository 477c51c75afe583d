"""The warm self-check server: two long-lived processes, started by ``advpy check`` and stopped
when idle. Run as ``python -m advpy.selfcheck_warm.server FOLDER``.

- The **kernel template** (this program's first process) imports what a Jupyter kernel imports
  and nothing else, then serves ``kernel.sock``: each request forks a child that becomes a
  kernel (:func:`advpy.selfcheck_warm.kernel.become_kernel`). It holds ``server.lock`` for as
  long as it lives, reports each kernel's exit to whoever asked for it, and kills a kernel
  whose asker went away.
- The **dispatcher** (the template's first child) also imports nbformat, nbclient and the
  grading code, then serves ``check.sock``: for each check it forks a **checker**, which runs
  :func:`advpy.selfcheck.run_checks`, the cold path's own function, with the kernel coming from
  the template (:mod:`advpy.selfcheck_warm.launch`), in the check's environment, folder and
  umask, and with the check's standard output and error.

Either process stops when the other does; the dispatcher stops after ``$ADVPY_CHECK_IDLE``
seconds without a check (default 600), when a check comes from another setting
(:func:`~advpy.selfcheck_warm.wire.identity`), or when the code it loaded changed on disk.
"""

from __future__ import annotations

import fcntl
import os
import selectors
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from advpy.selfcheck_warm import kernel
from advpy.selfcheck_warm.wire import (
    CHECK_SOCKET,
    KERNEL_SOCKET,
    LOCK_FILE,
    LOG_FILE,
    PID_FILE,
    VOLATILE_ENV,
    Channel,
    WireError,
    code_state,
    differences,
    identity,
    idle_seconds,
    peer_is_me,
)

MODULE = "advpy.selfcheck_warm.server"
AS_TEMPLATE = "--as-template"
#: Seconds a new template waits for the one it replaces to let go of the lock.
LOCK_WAIT = 10.0
#: Seconds a peer may take to send its whole request.
REQUEST_TIMEOUT = 10.0
_HANDLED = (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


def log(text: str) -> None:
    """A line in the server's log (its standard error)."""
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        os.write(2, f"{stamp} [{os.getpid()}] {text}\n".encode(errors="replace"))
    except OSError:
        pass


class Wakeup:
    """Signals turned into bytes on a socket a selector can watch."""

    def __init__(self) -> None:
        self.original = {number: signal.getsignal(number) for number in _HANDLED}
        self.reader, self.writer = socket.socketpair()
        self.reader.setblocking(False)
        self.writer.setblocking(False)
        signal.set_wakeup_fd(self.writer.fileno(), warn_on_full_buffer=False)
        for number in _HANDLED:
            signal.signal(number, _ignore)

    def signals(self) -> set[int]:
        try:
            return set(self.reader.recv(4096))
        except BlockingIOError:
            return set()

    def undo(self) -> None:
        """In a forked child: the signal handlers as they were, no wakeup descriptor."""
        signal.set_wakeup_fd(-1)
        for number, handler in self.original.items():
            signal.signal(number, handler)
        self.reader.close()
        self.writer.close()


def _ignore(number: int, frame: Any) -> None:
    return None


def _listen(path: Path) -> socket.socket:
    """A listening Unix socket at ``path``, made under a temporary name and renamed into place
    so that a client never connects to a server that is not ready."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.unlink()
    except FileNotFoundError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)
    try:
        server.bind(str(temporary))
    finally:
        os.umask(old_mask)
    server.listen(64)
    os.rename(temporary, path)
    return server


def _take_lock(folder: Path) -> int | None:
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.05)


def _kernel_options() -> list[str]:
    """The interpreter options (``-Xfrozen_modules=off`` ...) in the ``python3`` kernel's
    command; none when it has no ``python -m`` command or there is no such kernel."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec("python3").argv
    except Exception:  # noqa: BLE001 - no kernel spec: the checker starts kernels itself
        return []
    return list(argv[1 : argv.index("-m")]) if "-m" in argv else []


def _become_template(folder: Path, env: dict[str, str]) -> None:
    """Run this program again as the kernel template: with the kernel's interpreter options,
    so that a kernel forked from it is the kernel that command would start, and in a fresh
    interpreter, which has not imported what looking the options up imports. ``env`` is the
    environment this program started with. Never returns."""
    command = [sys.executable, *_kernel_options(), "-m", MODULE, str(folder), AS_TEMPLATE]
    os.execve(sys.executable, command, env)


class Template:
    """The kernel template's loop: fork kernels for checkers, reap them, report their exit."""

    def __init__(
        self, folder: Path, wakeup: Wakeup, startup_env: dict[str, str], fresh: set[str]
    ) -> None:
        self.folder = folder
        self.fresh = fresh
        self.wakeup = wakeup
        # The environment the interpreter started with, and what importing the kernel's
        # modules changed in it (debugpy sets PYDEVD_USE_FRAME_EVAL): each kernel gets its own
        # environment with the same changes, as if it had imported them itself.
        self.startup_env = startup_env
        self.env_changes = {
            key: os.environ.get(key)
            for key in set(startup_env) | set(os.environ)
            if startup_env.get(key) != os.environ.get(key)
        }
        self.server = _listen(folder / KERNEL_SOCKET)
        self.kernels: dict[int, Channel] = {}
        self.selector = selectors.DefaultSelector()
        self.dispatcher = 0
        self.running = True

    def start_dispatcher(self, lock: int, startup_identity: dict[str, Any]) -> None:
        template = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(lock)
                self.selector.close()
                self.server.close()
                self.wakeup.undo()
                Dispatcher(self.folder, startup_identity, template).serve()
            except BaseException:  # noqa: BLE001 - a child never returns into this loop
                log(f"dispatcher failed:\n{traceback.format_exc()}")
            os._exit(0)
        self.dispatcher = pid
        (self.folder / PID_FILE).write_text(f"{os.getpid()} {pid}\n")

    def serve(self) -> None:
        self.selector.register(self.server, selectors.EVENT_READ, self._accept)
        self.selector.register(self.wakeup.reader, selectors.EVENT_READ, self._signalled)
        log("kernel template ready")
        while self.running:
            for key, _ in self.selector.select(timeout=5.0):
                key.data(key.fileobj)
            self._reap()
        self.stop()

    def stop(self) -> None:
        for pid in list(self.kernels):
            _kill_group(pid)
        # Only the holder of the lock serves in this folder: every file in it is this
        # server's to remove.
        for name in (CHECK_SOCKET, KERNEL_SOCKET, PID_FILE):
            try:
                (self.folder / name).unlink()
            except OSError:
                pass
        if self.dispatcher:
            try:
                os.kill(self.dispatcher, signal.SIGTERM)
            except ProcessLookupError:
                pass
        log("kernel template stopped")

    def _accept(self, server: Any) -> None:
        try:
            sock, _ = self.server.accept()
        except OSError:
            return
        if not peer_is_me(sock):
            sock.close()
            return
        sock.settimeout(REQUEST_TIMEOUT)
        self.selector.register(sock, selectors.EVENT_READ, self._request)

    def _forget(self, sock: socket.socket) -> None:
        try:
            self.selector.unregister(sock)
        except (KeyError, ValueError):
            pass
        for pid, channel in list(self.kernels.items()):
            if channel.sock is sock:
                _kill_group(pid)  # its checker went away: nobody will stop it
                del self.kernels[pid]
        sock.close()

    def _request(self, sock: Any) -> None:
        channel = Channel(sock)
        try:
            message, fds = channel.receive()
        except (OSError, WireError):
            self._forget(sock)
            return
        try:
            if message.get("op") == "fork" and len(fds) == 2:
                self._fork(channel, message, fds)
            else:
                self._forget(sock)
        finally:
            for fd in fds:
                os.close(fd)

    def _fork(self, channel: Channel, message: dict[str, Any], fds: list[int]) -> None:
        cmd, env, cwd = message.get("cmd"), message.get("env"), message.get("cwd")
        umask = message.get("umask")
        if not (isinstance(cmd, list) and isinstance(env, dict) and isinstance(cwd, str)):
            self._forget(channel.sock)
            return
        why = kernel.refusal(cmd, env, cwd, self.startup_env)
        if why or not isinstance(umask, int):
            log(f"not forking a kernel: {why}")
            channel.send({"refuse": why or "no umask"})
            self._forget(channel.sock)
            return
        ready_reader, ready_writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(ready_reader)
            kernel.become_kernel(
                cmd,
                _changed(env, self.env_changes),
                cwd,
                umask,
                fds[0],
                fds[1],
                ready_writer,
                self.wakeup.original,
                self.fresh,
            )
        os.close(ready_writer)
        os.read(ready_reader, 1)  # the child leads its own session now
        os.close(ready_reader)
        try:
            pidfd = os.pidfd_open(pid)
        except OSError as error:  # a kernel too old for process descriptors
            _kill_group(pid)
            channel.send({"refuse": f"no process descriptor ({error.strerror})"})
            self._forget(channel.sock)
            return
        try:
            channel.send({"pid": pid}, [pidfd])
        except OSError:
            _kill_group(pid)
        finally:
            os.close(pidfd)
        self.kernels[pid] = channel

    def _signalled(self, reader: Any) -> None:
        numbers = self.wakeup.signals()
        if numbers & {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}:
            self.running = False

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid == self.dispatcher:
                log("dispatcher ended")
                self.dispatcher = 0
                self.running = False
            channel = self.kernels.pop(pid, None)
            if channel is not None:
                try:
                    channel.send({"exit": status})
                except OSError:
                    pass


def _changed(env: dict[str, str], changes: dict[str, str | None]) -> dict[str, str]:
    result = dict(env)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = value
    return result


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


class Dispatcher:
    """The dispatcher's loop: answer each check with a checker of its own."""

    def __init__(self, folder: Path, startup_identity: dict[str, Any], template: int) -> None:
        self.folder = folder
        self.identity = startup_identity
        self.wakeup = Wakeup()
        self.template = template
        _preload_checker()
        import advpy

        self.package = Path(advpy.__file__).parent
        self.kernel_spec = _kernel_spec_file()
        self.state = self._code_state()
        self.server = _listen(folder / CHECK_SOCKET)
        self.selector = selectors.DefaultSelector()
        self.checkers = 0  # running now
        self.answered = 0  # since the start
        self.last = time.monotonic()
        self.idle = idle_seconds()
        self.running = True

    def _code_state(self) -> str:
        return code_state(sys.path[1:], self.package, self.kernel_spec)

    def serve(self) -> None:
        self.selector.register(self.server, selectors.EVENT_READ, self._accept)
        self.selector.register(self.wakeup.reader, selectors.EVENT_READ, self._signalled)
        log("dispatcher ready")
        # Once stopping, no new check is taken, but the running ones finish: the template
        # stops (and kills what kernels are left) only after this process has ended.
        while self.running or self.checkers:
            if not self.running and self.server.fileno() != -1:
                self.selector.unregister(self.server)
                self.server.close()
            left = self.idle - (time.monotonic() - self.last)
            for key, _ in self.selector.select(timeout=max(0.05, min(left, 1.0))):
                key.data(key.fileobj)
            self._reap()
            if self.running and os.getppid() != self.template:
                log("kernel template ended")
                self.running = False
            elif not self.checkers and time.monotonic() - self.last >= self.idle:
                log("idle: stopping")
                self.running = False
        self.server.close()

    def _signalled(self, reader: Any) -> None:
        if self.wakeup.signals() & {signal.SIGTERM, signal.SIGHUP, signal.SIGINT}:
            self.running = False

    def _reap(self) -> None:
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.checkers -= 1
            self.last = time.monotonic()

    def _accept(self, server: Any) -> None:
        try:
            sock, _ = self.server.accept()
        except OSError:
            return
        self.last = time.monotonic()
        if not peer_is_me(sock):
            sock.close()
            return
        sock.settimeout(REQUEST_TIMEOUT)
        channel = Channel(sock)
        try:
            message, fds = channel.receive()
        except (OSError, WireError):
            channel.close()
            return
        try:
            self._answer(channel, message, fds)
        finally:
            for fd in fds:
                os.close(fd)
            channel.sock.close()

    def _answer(self, channel: Channel, message: dict[str, Any], fds: list[int]) -> None:
        op = message.get("op")
        if op == "stop":
            channel.send({"stopping": True})
            self.running = False
            return
        if op == "ping":
            reply = {"pong": True, "pid": os.getpid(), "template": self.template}
            channel.send({**reply, "checks": self.answered})
            return
        if op != "check" or len(fds) != 2:
            channel.send({"fallback": "not a check request"})
            return
        changed = differences(self.identity, message.get("identity"))
        if changed:
            shown = ", ".join(changed[:8]) + (" ..." if len(changed) > 8 else "")
            channel.send({"stale": f"this check runs in another setting ({shown})"})
            log(f"stale: another setting ({shown})")
            self.running = False
            return
        if self._code_state() != self.state:
            channel.send({"stale": "the code changed since the server started"})
            log("stale: the code changed")
            self.running = False
            return
        pid = os.fork()
        if pid == 0:
            try:
                self.selector.close()
                self.server.close()
                self.wakeup.undo()
                run_checker(channel, message, fds, self.folder)
            except BaseException:  # noqa: BLE001 - a child never returns into this loop
                log(f"checker failed:\n{traceback.format_exc()}")
            os._exit(0)
        self.checkers += 1
        self.answered += 1


def _kernel_spec_file() -> tuple[Path, ...]:
    """The ``python3`` kernel spec's file, whose command the template was started to match."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager

        return (Path(KernelSpecManager().find_kernel_specs()["python3"]) / "kernel.json",)
    except Exception:  # noqa: BLE001 - no such kernel spec: nothing to watch
        return ()


def _preload_checker() -> None:
    """Import (and warm up) what a checker needs, so that each check pays for none of it."""
    import nbformat
    import nbgrader.utils  # noqa: F401 - scoring uses determine_grade

    import advpy.course.preprocessors  # noqa: F401
    import advpy.course.scoring  # noqa: F401
    import advpy.selfcheck  # noqa: F401
    import advpy.selfcheck_warm.launch  # noqa: F401

    warm = nbformat.v4.new_notebook()
    warm.cells.append(nbformat.v4.new_code_cell("1"))
    nbformat.reads(nbformat.writes(warm), as_version=4)  # builds the schema validator once


def run_checker(channel: Channel, request: dict[str, Any], fds: list[int], folder: Path) -> None:
    """In a checker (a fresh child of the dispatcher): run the check as the cold path would,
    in the check's own setting, send the results back as soon as they are known, then let the
    kernel shut down as the cold path does, and exit."""
    os.dup2(fds[0], 1)
    os.dup2(fds[1], 2)
    for fd in set(fds) - {1, 2}:
        os.close(fd)
    env = request.get("env")
    if isinstance(env, dict):
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
    replied = False

    def reply(message: dict[str, Any]) -> None:
        nonlocal replied
        if replied:
            return
        replied = True
        try:
            channel.send(message)
        except OSError:
            pass

    try:
        os.chdir(str(request["cwd"]))
        os.umask(int(request["umask"]))
        _stop_when_abandoned(channel)
        reply(_check(request, folder, reply))
    except BaseException as error:  # noqa: BLE001 - the client then checks the cold way
        _log_to(folder, f"checker error:\n{traceback.format_exc()}")
        reply({"fallback": f"{type(error).__name__}: {error}"})
    os._exit(0)


def _check(
    request: dict[str, Any], folder: Path, reply: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    from dataclasses import asdict

    from advpy.course.scoring import CellResult
    from advpy.selfcheck import CheckError, run_checks
    from advpy.selfcheck_warm.launch import ForkingKernelManager

    def scored(results: list[CellResult]) -> None:
        reply({"results": [asdict(r) for r in results], "forked": ForkingKernelManager.forked})

    ForkingKernelManager.template = folder / KERNEL_SOCKET
    try:
        results = run_checks(
            Path(str(request["path"])),
            timeout=int(request["timeout"]),
            kernel_manager_class=ForkingKernelManager,
            on_scored=scored,
        )
    except CheckError as error:
        return {"error": str(error), "forked": ForkingKernelManager.forked}
    return {"results": [asdict(r) for r in results], "forked": ForkingKernelManager.forked}


def _stop_when_abandoned(channel: Channel) -> None:
    """When the check's client goes away (Ctrl-C), end this checker and its kernel, as the
    cold path's cleanup would."""

    def watch() -> None:
        try:
            while channel.sock.recv(1):
                pass
        except OSError:
            pass
        from advpy.selfcheck_warm.launch import ForkedKernel

        for process in ForkedKernel.live:
            try:
                process.kill()
            except OSError:
                pass
        os._exit(1)

    channel.sock.settimeout(None)
    threading.Thread(target=watch, name="client-watch", daemon=True).start()


def _log_to(folder: Path, text: str) -> None:
    try:
        with open(folder / LOG_FILE, "a", encoding="utf-8") as handle:
            handle.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} [{os.getpid()}] {text}\n")
    except OSError:
        pass


def main(argv: list[str]) -> int:
    """Run the server for the folder ``argv[1]``."""
    if len(argv) < 2:
        print("usage: python -m advpy.selfcheck_warm.server FOLDER", file=sys.stderr)
        return 2
    folder = Path(argv[1])
    if AS_TEMPLATE not in argv:
        env = dict(os.environ)
        if "--detach" in argv and os.fork():
            return 0  # the server goes on in the child, which no one has to wait for
        _become_template(folder, env)
    lock = _take_lock(folder)
    if lock is None:
        log("another server holds the lock")
        return 0
    wakeup = Wakeup()
    startup_identity = identity()
    startup_env = dict(os.environ)
    fresh = kernel.preload(VOLATILE_ENV | kernel.LAUNCH_ENV)
    if fresh:
        log(f"imported afresh in each kernel: {', '.join(sorted(fresh))}")
    template = Template(folder, wakeup, startup_env, fresh)
    template.start_dispatcher(lock, startup_identity)
    try:
        template.serve()
    except BaseException:  # noqa: BLE001 - log it, take the sockets down
        log(f"kernel template failed:\n{traceback.format_exc()}")
        template.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
