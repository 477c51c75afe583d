"""A trial class on JupyterHub: real Unix users, nbgrader's exchange, the hub on loopback.

:class:`HubTrial` creates an instructor and N learners as Unix users (private homes), the
exchange (a folder anyone may write into and nobody may list but its owner: nbgrader sets the
modes of each part), the instructor's nbgrader course (``source/`` copied from
``grading/source/``, owned by the instructor), then starts JupyterHub on 127.0.0.1 with
``configurable-http-proxy`` and a local-process spawner that runs each user's Jupyter server
as that user. :meth:`HubTrial.stop` ends the hub (which stops the users' servers and the
proxy), ends anything still running as a trial user, removes the users and their homes, and
deletes the trial's folder.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from advpy.course.nbgrader_settings import COURSE_ID
from advpy.course.paths import CoursePaths
from advpy.hub import accounts, expose
from advpy.hub.config import HubSettings, write_role_configs

#: The npm package of the proxy, as ``scripts/system-packages.txt`` installs it.
PROXY = "configurable-http-proxy"
PROXY_HINT = (
    "configurable-http-proxy (from npm) is not installed: `npm install -g "
    "configurable-http-proxy@5.3.0` (Debian: `apt-get install npm` first), or "
    "`python3 scripts/system_deps.py --for test`, which installs it"
)
HUB_CONFIG = """\
# The trial hub's settings: see advpy.hub.config.
from pathlib import Path

from advpy.hub.config import HubSettings, apply_hub_settings

settings = HubSettings.read(Path(__file__).with_name("settings.json"))
apply_hub_settings(get_config(), settings)  # noqa: F821
"""


class HubError(Exception):
    """The trial cannot start (not root, no proxy, no JupyterHub, the hub did not answer)."""


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def requirements_problem() -> str:
    """Why a trial cannot start on this machine, or an empty string."""
    if os.geteuid() != 0:
        return (
            "advpy hub creates the trial's users and runs their servers as them: run it as "
            "root (sudo)"
        )
    for tool in ("useradd", "userdel", "unshare", "mount"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (Debian: apt-get install passwd util-linux mount)"
    if shutil.which(PROXY) is None:
        return PROXY_HINT
    hub = Path(sys.executable).with_name("jupyterhub")
    if not hub.exists():
        return "JupyterHub is not installed in the course's venv: pip install -e '.[hub]'"
    return ""


@dataclass
class HubTrial:
    """A trial class: ``students`` learners and one instructor on a hub on loopback."""

    paths: CoursePaths
    students: int = 2
    port: int = 0
    base: Path | None = None
    log: IO[str] | None = None
    folder: Path = field(init=False)
    settings: HubSettings = field(init=False)
    users: list[accounts.Account] = field(default_factory=list, init=False)
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.port}"

    @property
    def exchange(self) -> Path:
        return self.folder / "exchange"

    @property
    def instructor(self) -> accounts.Account:
        return self.users[0]

    @property
    def learners(self) -> list[accounts.Account]:
        return self.users[1:]

    @property
    def course(self) -> Path:
        """The instructor's nbgrader course (in the instructor's home)."""
        return Path(self.instructor.home) / "course"

    def _say(self, line: str) -> None:
        if self.log is not None:
            print(line, file=self.log, flush=True)

    def start(self, timeout: float = 90) -> None:
        """Create the users, exchange and course, then start the hub and wait for it."""
        problem = requirements_problem()
        if problem:
            raise HubError(problem)
        closed = expose.closed_folder(Path(self.base or tempfile.gettempdir()))
        if closed is not None:
            raise HubError(
                f"the trial's folder must be reachable by its users, and {closed} is not "
                "(others may not enter it): name another --base"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="advpy-hub-", dir=self.base))
        try:
            self._prepare()
            self._launch(timeout)
        except BaseException:
            self.stop()
            raise

    def _prepare(self) -> None:
        self.folder.chmod(0o755)
        tag = accounts.trial_tag()
        names = [f"{accounts.PREFIX}-{tag}-instructor"]
        names += [f"{accounts.PREFIX}-{tag}-s{n}" for n in range(1, self.students + 1)]
        for name in names:
            self.users.append(accounts.create(name))
        self._say(f"created users {', '.join(names)}")
        self.exchange.mkdir()
        self.exchange.chmod(0o1777)
        self.course.mkdir()
        shutil.copy(self.paths.grading / "nbgrader_config.py", self.course)
        shutil.copytree(self.paths.source, self.course / "source")
        for path in [self.course, *self.course.rglob("*")]:
            os.chown(path, self.instructor.uid, self.instructor.gid)
        state = self.folder / "hub"
        state.mkdir(mode=0o700)
        bin_dir = Path(sys.executable).parent
        self.settings = HubSettings(
            folder=str(self.folder),
            port=self.port or free_port(),
            hub_port=free_port(),
            proxy_api_port=free_port(),
            proxy_command=[str(shutil.which(PROXY))],
            singleuser=[str(bin_dir / "jupyterhub-singleuser")],
            path=os.pathsep.join([str(bin_dir), "/usr/local/bin", "/usr/bin", "/bin"]),
            instructor=self.users[0].name,
            students=[u.name for u in self.users[1:]],
            passwords={u.name: secrets.token_urlsafe(12) for u in self.users},
            api_token=secrets.token_hex(32),
        )
        self.settings.write(state / "settings.json")
        (state / "jupyterhub_config.py").write_text(HUB_CONFIG)
        write_role_configs(self.settings, self.exchange, self.course)

    def _launch(self, timeout: float) -> None:
        state = self.folder / "hub"
        hub = Path(sys.executable).with_name("jupyterhub")
        needed = [*expose.needed_paths(), self.paths.root]
        command, extra = expose.command(
            needed, [str(hub), "-f", str(state / "jupyterhub_config.py")]
        )
        logfile = open(state / "jupyterhub.log", "wb")  # noqa: SIM115 - the hub's, while it runs
        self.process = subprocess.Popen(
            command,
            cwd=state,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **extra},
            start_new_session=True,
        )
        logfile.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub stopped at start:\n{self.hub_log()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as answer:
                    json.load(answer)
                    self._say(f"hub answers at {self.url}")
                    return
            except OSError:
                time.sleep(0.2)
        raise HubError(
            f"JupyterHub did not answer within {timeout:.0f} s:\n{self.hub_log()[-3000:]}"
        )

    def hub_log(self) -> str:
        """What the hub has logged so far."""
        try:
            return (self.folder / "hub" / "jupyterhub.log").read_text(errors="replace")
        except OSError:
            return ""

    def stop(self, grace: float = 30) -> None:
        """End the hub, its proxy and the users' servers; remove the users and the folder."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        proxy_pid = (
            self.folder / "hub" / "jupyterhub-proxy.pid" if hasattr(self, "folder") else None
        )
        if proxy_pid is not None and proxy_pid.exists():
            try:
                os.kill(int(proxy_pid.read_text().strip()), signal.SIGTERM)
            except (ValueError, ProcessLookupError):
                pass
        for user in reversed(self.users):
            accounts.remove(user)
            self._say(f"removed user {user.name}")
        self.users.clear()
        if hasattr(self, "folder") and self.folder.exists():
            shutil.rmtree(self.folder)

    def logins(self) -> list[tuple[str, str, str]]:
        """Each user's role, name and password."""
        return [
            (
                "instructor" if u is self.instructor else "learner",
                u.name,
                self.settings.passwords[u.name],
            )
            for u in self.users
        ]


__all__ = ["COURSE_ID", "HubError", "HubTrial", "PROXY_HINT"]
