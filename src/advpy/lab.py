"""Open the course in JupyterLab, set up for a learner or for an instructor.

The course's Jupyter settings live in ``jupyter/learner`` and ``jupyter/instructor`` and are put
first on ``JUPYTER_CONFIG_PATH``: learners get nbgrader's Validate button and none of the
instructor panels; instructors get the formgrader and the create-assignment toolbar too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from advpy.course.paths import CoursePaths, prepend_path

#: JupyterLab settings the course changes for everyone who runs it from this environment.
LAB_OVERRIDES = {
    # No "get notified about official Jupyter news?" pop-up and no update checks.
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
}


def setup_jupyter() -> list[str]:
    """Install the course's kernel and JupyterLab overrides into this environment."""
    done = []
    settings = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    overrides = settings / "overrides.json"
    current = json.loads(overrides.read_text()) if overrides.exists() else {}
    current.update(LAB_OVERRIDES)
    overrides.write_text(json.dumps(current, indent=2) + "\n")
    done.append(f"JupyterLab settings: {overrides}")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ipykernel",
            "install",
            "--sys-prefix",
            "--name",
            "python3",
            "--display-name",
            "Python 3 (ipykernel)",
        ],
        check=True,
        capture_output=True,
    )
    done.append(f"kernel python3: {sys.executable}")
    return done


def lab_environment(paths: CoursePaths, instructor: bool) -> dict[str, str]:
    """The environment JupyterLab runs in: the course's settings first on the config path.

    This environment's ``bin`` folder goes first on ``PATH`` too: ``make lab`` runs without an
    activated virtual environment, and nbgrader starts tools by name (the formgrader creates
    its gradebook with ``alembic``; without it on ``PATH`` the formgrader answers errors).
    """
    env = dict(os.environ)
    config = paths.jupyter_config / ("instructor" if instructor else "learner")
    env["JUPYTER_CONFIG_PATH"] = prepend_path(env.get("JUPYTER_CONFIG_PATH", ""), str(config))
    env["PATH"] = prepend_path(env.get("PATH", ""), str(Path(sys.executable).parent))
    return env


def lab_command(
    paths: CoursePaths, instructor: bool, port: int | None, open_browser: bool, token: str | None
) -> list[str]:
    """The ``jupyter lab`` command line for the course."""
    root = paths.root if instructor else paths.notebooks
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root; Jupyter refuses otherwise
    if port is not None:
        command += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if not open_browser:
        command.append("--no-browser")
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    return command


def exchange_folder(paths: CoursePaths) -> Path:
    """The formgrader's release/collect folder (``Exchange.root`` in the instructor settings)."""
    return paths.grading / "exchange"


def launch(
    paths: CoursePaths,
    instructor: bool = False,
    port: int | None = None,
    open_browser: bool = True,
    token: str | None = None,
) -> subprocess.Popen[bytes]:
    """Start JupyterLab on the course and return the running process."""
    if instructor:
        # nbgrader does not create the exchange folder; without it the formgrader warns that
        # release and collect are unavailable.
        exchange_folder(paths).mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        lab_command(paths, instructor, port, open_browser, token),
        env=lab_environment(paths, instructor),
        cwd=paths.root if instructor else paths.notebooks,
    )
