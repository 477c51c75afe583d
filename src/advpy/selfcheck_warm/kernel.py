"""The kernel template's half of the warm self-check: load what a Jupyter kernel loads, then,
for each check, fork and turn the child into exactly the kernel ``jupyter_client`` would have
started with ``python -m ipykernel_launcher -f CONNECTION_FILE``.

The child gets what ``subprocess.Popen(cmd, cwd=..., env=..., start_new_session=True)`` and
the interpreter's own start-up would have given it: a session of its own, the given standard
streams, working folder, environment, umask, ``sys.argv`` and ``sys.path[0]``; no other
descriptor, and the signal handlers a new interpreter has. Then it runs ``ipykernel_launcher``
as ``__main__``, as ``-m`` does, and ends the way an interpreter ends: non-daemon threads
joined, ``atexit`` functions run, then exit.

What a forked kernel cannot have afresh, and a cold one has: its own string-hashing seed
(``PYTHONHASHSEED``: all kernels of one warm server share the seed it started with), its own
``sys.orig_argv`` and ``/proc/self/cmdline`` (the template's), its own copy of a module already
imported (a module read when the template started is not read again), and the kernel's own
threads' default names (``Thread-2`` for the parent poller instead of ``Thread-1``: debugpy,
imported in advance, made a thread object first; learners' threads are numbered alike).
"""

from __future__ import annotations

import importlib
import linecache
import os
import shutil
import signal
import sys
from typing import Any

from advpy.selfcheck_warm.wire import VOLATILE_ENV

#: What a kernel imports while it starts (measured with ipykernel 7 and IPython 9): loading
#: them in the template leaves each kernel only its own set-up to do. Missing ones are skipped.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.extensions.storemagic",
    "sqlite3",
    "psutil",
    "tornado.platform.asyncio",
    "faulthandler",
    "pdb",
)
LAUNCHER = "ipykernel_launcher"
#: Variables the kernel's launcher adds to the environment; they may differ from the template's.
LAUNCH_ENV = frozenset({"JPY_PARENT_PID", "JPY_SESSION_NAME", "JPY_INTERRUPT_EVENT"})
_ENV_MODULES = frozenset({"os", "_collections_abc", "collections.abc"})


def preload(differing: frozenset[str]) -> set[str]:
    """Import what a starting kernel imports; return the modules that, while being imported,
    read one of the environment variables ``differing`` (which a kernel's launch may set
    otherwise than this process had them: ipykernel.kernelapp takes ``JPY_PARENT_PID`` as a
    default then). Each kernel imports those afresh, in its own environment."""
    environ = type(os.environ)
    read = environ.__getitem__
    readers: set[str] = set()

    def recording(self: Any, key: Any) -> Any:
        name = key.decode(errors="replace") if isinstance(key, bytes) else str(key)
        if name in differing:
            frame: Any = sys._getframe(1)
            while frame is not None and frame.f_globals.get("__name__") in _ENV_MODULES:
                frame = frame.f_back
            if frame is not None:
                readers.add(str(frame.f_globals.get("__name__")))
        return read(self, key)

    environ.__getitem__ = recording  # type: ignore[method-assign]
    try:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - a kernel without it just loads less in advance
                continue
    finally:
        environ.__getitem__ = read  # type: ignore[method-assign]
    return readers


def forget_modules(names: set[str]) -> None:
    """Remove modules (and ``advpy``'s, which the template imported to serve) so that the
    next import runs them afresh."""
    doomed = set(names) | {n for n in sys.modules if n == "advpy" or n.startswith("advpy.")}
    for name in doomed:
        sys.modules.pop(name, None)
        parent, _, child = name.rpartition(".")
        package = sys.modules.get(parent) if parent else None
        if package is not None and getattr(package, child, None) is not None:
            try:
                delattr(package, child)
            except AttributeError:
                pass


def interpreter_options() -> list[str]:
    """This interpreter's own command-line options (``-X...``), as given before ``-m``."""
    argv = list(getattr(sys, "orig_argv", []))
    if "-m" not in argv:
        return []
    return argv[1 : argv.index("-m")]


def refusal(cmd: list[str], env: dict[str, str], cwd: str, startup_env: dict[str, str]) -> str:
    """Why a forked child of this process would not be the kernel ``cmd`` starts ("" when it
    would): another interpreter or other options, another program than the IPython kernel's
    launcher, an environment that differs in more than the launcher's variables (the
    interpreter read it when it started), or a working folder that does not exist."""
    if len(cmd) < 3 or "-m" not in cmd:
        return "not a `python -m` command"
    where = cmd.index("-m")
    if where + 1 >= len(cmd) or cmd[where + 1] != LAUNCHER:
        return f"not the IPython kernel's launcher: {cmd}"
    program = shutil.which(cmd[0], path=env.get("PATH")) or cmd[0]
    if os.path.abspath(program) != sys.executable:
        return f"another interpreter ({cmd[0]})"
    if cmd[1:where] != interpreter_options():
        return f"other interpreter options ({cmd[1:where]})"
    if not os.path.isdir(cwd):
        return f"no folder {cwd}"
    relative = [
        p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and not os.path.isabs(p)
    ]
    if relative:
        return f"PYTHONPATH holds a folder relative to where the kernel starts ({relative[0]})"
    keys = (set(env) | set(startup_env)) - LAUNCH_ENV
    changed = sorted(k for k in keys - VOLATILE_ENV if env.get(k) != startup_env.get(k))
    if changed:
        return f"another environment ({', '.join(changed[:5])})"
    return ""


def become_kernel(
    cmd: list[str],
    env: dict[str, str],
    cwd: str,
    umask: int,
    stdout: int,
    stderr: int,
    ready: int,
    signals: dict[signal.Signals, Any],
    fresh: set[str],
) -> None:
    """In a freshly forked child: become the kernel that ``cmd`` would start, run it, exit.

    ``ready`` is written to (and closed) once the child leads its own session, so that the
    template never reports a process group that is still its own; ``signals`` are the signal
    handlers the template found when it started; the modules ``fresh`` are imported anew (see
    :func:`preload`). Never returns.
    """
    code = 1
    try:
        os.setsid()
        os.write(ready, b"1")
        os.close(ready)
        signal.set_wakeup_fd(-1)
        for number, handler in signals.items():
            signal.signal(number, handler)
        _standard_streams(stdout, stderr)
        _close_descriptors()
        os.chdir(cwd)
        os.umask(umask)
        os.environ.clear()
        os.environ.update(env)
        where = cmd.index("-m")
        sys.argv = [LAUNCHER, *cmd[where + 2 :]]
        if not sys.flags.safe_path:
            sys.path[0] = os.getcwd()  # what `-m` puts first (the launcher removes it again)
        forget_modules(fresh)
        importlib.invalidate_caches()
        linecache.clearcache()
        code = _run_launcher()
        _finish_interpreter()
    except BaseException:  # noqa: BLE001 - nothing may return into the template's loop
        code = 1
    finally:
        os._exit(code)


def _standard_streams(stdout: int, stderr: int) -> None:
    """stdin: a pipe already closed at the other end (what ``launch_kernel`` gives a kernel);
    stdout and stderr: the check's."""
    reader, writer = os.pipe()
    os.close(writer)
    for source, target in ((reader, 0), (stdout, 1), (stderr, 2)):
        if source != target:
            os.dup2(source, target)
    for fd in {reader, stdout, stderr} - {0, 1, 2}:
        os.close(fd)


def _close_descriptors() -> None:
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2:
            try:
                os.close(fd)
            except OSError:
                pass


def _run_launcher() -> int:
    """``python -m ipykernel_launcher``: run the module as ``__main__``; its exit code."""
    import runpy

    try:
        runpy.run_module(LAUNCHER, run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        return _exit_code(exit_.code)
    except BaseException:  # noqa: BLE001 - the interpreter prints it and exits with 1
        import traceback

        traceback.print_exc()
        return 1
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _finish_interpreter() -> None:
    """What the interpreter does when its main module ends: wait for non-daemon threads, run
    ``atexit`` functions, flush the standard streams."""
    import atexit
    import threading

    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None:
                stream.flush()
        except Exception:  # noqa: BLE001 - a closed or broken stream is not the kernel's end
            pass
