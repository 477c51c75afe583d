"""The trial hub's settings, and the Jupyter and nbgrader settings of each user's server.

The hub reads ``jupyterhub_config.py``, which only calls :func:`apply_hub_settings` with the
trial's ``settings.json`` (both in a folder only root may read: it holds the passwords and the
API token). Each user's server gets ``JUPYTER_CONFIG_DIR`` pointing at its role's folder: the
instructor's enables nbgrader's formgrader for the course folder; the learners' only the
assignment list (fetch, submit, fetch feedback), each with the shared exchange.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

#: The nbgrader course id of the trial (the exchange's folder for the class).
COURSE_ID = "advpy"
#: nbgrader's server extensions, and which role gets each.
EXTENSIONS = {
    "nbgrader.server_extensions.formgrader": "instructor",
    "nbgrader.server_extensions.assignment_list": "both",
    "nbgrader.server_extensions.course_list": "instructor",
    "nbgrader.server_extensions.validate_assignment": "both",
}


@dataclass
class HubSettings:
    """What the hub of a trial needs to know (written as ``settings.json``)."""

    folder: str
    port: int
    hub_port: int
    proxy_api_port: int
    proxy_command: list[str]
    singleuser: list[str]
    path: str
    instructor: str
    students: list[str]
    passwords: dict[str, str] = field(default_factory=dict)
    api_token: str = ""

    def role_config(self, name: str) -> str:
        """The Jupyter settings folder of the user ``name``'s role."""
        role = "instructor" if name == self.instructor else "student"
        return str(Path(self.folder) / "config" / role)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), indent=2))
        path.chmod(0o600)

    @classmethod
    def read(cls, path: Path) -> HubSettings:
        return cls(**json.loads(path.read_text()))


def apply_hub_settings(c: Any, settings: HubSettings) -> None:
    """Set the hub's configuration ``c`` for the trial: loopback only, the proxy from npm,
    local processes as the users, the trial's authenticator, an admin service for the API."""
    state = Path(settings.folder) / "hub"
    c.JupyterHub.ip = "127.0.0.1"
    c.JupyterHub.port = settings.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = settings.hub_port
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.cleanup_proxy = True
    c.ConfigurableHTTPProxy.command = settings.proxy_command
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
    c.ConfigurableHTTPProxy.should_start = True

    c.JupyterHub.authenticator_class = "advpy.hub.auth.TrialAuthenticator"
    c.TrialAuthenticator.passwords = settings.passwords
    c.Authenticator.allowed_users = set(settings.students) | {settings.instructor}
    c.Authenticator.admin_users = {settings.instructor}

    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.cmd = settings.singleuser
    c.Spawner.notebook_dir = "~"
    c.Spawner.default_url = "/lab"
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    c.Spawner.args = ["--ServerApp.shutdown_no_activity_timeout=0"]
    c.Spawner.environment = {
        "PATH": settings.path,
        "JUPYTER_CONFIG_DIR": lambda spawner: settings.role_config(spawner.user.name),
        "MPLBACKEND": "Agg",
    }

    c.JupyterHub.services = [{"name": "advpy-trial", "api_token": settings.api_token}]
    c.JupyterHub.load_roles = [
        {
            "name": "advpy-trial",
            "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"],
            "services": ["advpy-trial"],
        }
    ]


def write_role_configs(settings: HubSettings, exchange: Path, course: Path) -> None:
    """The Jupyter and nbgrader settings of the instructor's and of the learners' servers."""
    for role in ("instructor", "student"):
        folder = Path(settings.folder) / "config" / role
        folder.mkdir(parents=True, exist_ok=True)
        enabled = {ext: who in ("both", role) for ext, who in EXTENSIONS.items()} | {
            "advpy.lab_validate": False
        }
        (folder / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": enabled}}, indent=2)
        )
        lines = [
            "c = get_config()  # noqa: F821",
            f"c.CourseDirectory.course_id = {COURSE_ID!r}",
            f"c.Exchange.root = {str(exchange)!r}",
        ]
        if role == "instructor":
            lines = [
                "from advpy.course.nbgrader_settings import apply_course_settings",
                *lines,
                "apply_course_settings(c)",
                f"c.CourseDirectory.root = {str(course)!r}",
            ]
        (folder / "nbgrader_config.py").write_text("\n".join(lines) + "\n")
        # Jupyter would otherwise try to write this marker into the (read-only) folder.
        (folder / "migrated").write_text("the trial's settings: nothing to migrate\n")
