"""The checker's half of the warm self-check: ``jupyter_client``'s own kernel manager, with one
step changed. Where its local provisioner would start the kernel with ``subprocess.Popen``, the
kernel template forks one instead (:mod:`advpy.selfcheck_warm.kernel`); everything else
(the kernel spec, the connection file and ports, the environment, the client, the shutdown) is
the library's, so the kernel and nbclient behave as in the cold check.

When the template cannot give the kernel the command asks for (another interpreter or kernel,
another environment) or is gone, the kernel is started with ``Popen`` as usual.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

from advpy.selfcheck_warm.wire import Channel, WireError, connect

#: Seconds the template may take to fork a kernel before the kernel is started the usual way.
FORK_TIMEOUT = 30.0
#: What ``jupyter_client.launcher.launch_kernel`` accepts that a forked kernel can honour.
_FORKABLE = frozenset({"stdin", "stdout", "stderr", "env", "cwd", "independent"})


class ForkedKernel:
    """The ``Popen`` of a kernel that the template forked: the provisioner polls, waits for and
    signals it as it would a child process (through a pidfd, so never another process that
    got the same pid), and the template reports its exit status."""

    stdin = stdout = stderr = None
    #: The kernels of this process not known to have ended.
    live: list[ForkedKernel] = []

    def __init__(self, pid: int, pidfd: int, channel: Channel) -> None:
        self.pid = pid
        self.pidfd = pidfd
        self.channel = channel
        self.returncode: int | None = None
        ForkedKernel.live.append(self)

    def _ended(self, timeout: float | None) -> bool:
        ready, _, _ = select.select([self.pidfd], [], [], timeout)
        return bool(ready)

    def _collect(self) -> int:
        if self.returncode is None:
            status = None
            try:
                self.channel.sock.settimeout(2.0)
                message, _ = self.channel.receive()
                status = message.get("exit")
            except (OSError, WireError):
                pass
            self.returncode = (
                os.waitstatus_to_exitcode(status) if isinstance(status, int) else -signal.SIGKILL
            )
            self.channel.close()
            os.close(self.pidfd)
            ForkedKernel.live.remove(self)
        return self.returncode

    def poll(self) -> int | None:
        if self.returncode is not None or self._ended(0):
            return self._collect()
        return None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None and not self._ended(timeout):
            raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
        return self._collect()

    def send_signal(self, number: int) -> None:
        if self.returncode is None:
            try:
                signal.pidfd_send_signal(self.pidfd, number)
            except ProcessLookupError:
                pass  # it has just ended (Popen.send_signal ignores this too)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkingKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """``AsyncKernelManager`` whose local kernels come from the kernel template at
    :attr:`template` (a Unix socket); :attr:`forked` says whether the last one did."""

    template: Path | None = None
    forked = False

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        provisioner = self.provisioner
        process = None
        if type(provisioner) is LocalProvisioner and self.template is not None:
            process = fork_kernel(self.template, kernel_cmd, kw)
        if process is None or not isinstance(provisioner, LocalProvisioner):
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        # What LocalProvisioner.launch_kernel records about the process it started.
        provisioner.process = process  # type: ignore[assignment]  # a Popen look-alike
        provisioner.pid = process.pid
        provisioner.pgid = os.getpgid(process.pid)
        provisioner.cwd = kw.get("cwd", Path.cwd())
        type(self).forked = True
        self._reconcile_connection_info(provisioner.connection_info)


def fork_kernel(template: Path, cmd: list[str], launch: dict[str, Any]) -> ForkedKernel | None:
    """Ask the template to fork the kernel that ``launch_kernel(cmd, **launch)`` would start;
    ``None`` when it cannot (then start it the usual way)."""
    launch = {k: v for k, v in launch.items() if k not in ("extra_arguments", "kernel_id")}
    if set(launch) - _FORKABLE:
        return None
    if launch.get("stdin") is not None or launch.get("stdout") is not None:
        return None
    stderr = launch.get("stderr")
    if stderr not in (None, subprocess.DEVNULL):
        return None
    # As launch_kernel does: the environment given (changed in place) or a copy of ours.
    env = launch["env"] if launch.get("env") is not None else os.environ.copy()
    if not launch.get("independent"):
        env["JPY_PARENT_PID"] = str(os.getpid())
    command = [os.path.expanduser(part) for part in cmd]
    cwd = os.path.abspath(launch.get("cwd") or os.getcwd())
    umask = os.umask(0)
    os.umask(umask)
    null = os.open(os.devnull, os.O_WRONLY) if stderr == subprocess.DEVNULL else None
    try:
        channel = connect(template, timeout=5.0)
    except OSError:
        if null is not None:
            os.close(null)
        return None
    try:
        request = {"op": "fork", "cmd": command, "env": env, "cwd": cwd, "umask": umask}
        channel.sock.settimeout(FORK_TIMEOUT)
        channel.send(request, [1, null if null is not None else 2])
        reply, fds = channel.receive()
    except (OSError, WireError):
        channel.close()
        return None
    finally:
        if null is not None:
            os.close(null)
    pid = reply.get("pid")
    if not isinstance(pid, int) or len(fds) != 1:
        for fd in fds:
            os.close(fd)
        channel.close()
        return None
    return ForkedKernel(pid, fds[0], channel)
