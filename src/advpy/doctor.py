"""``advpy doctor``: what the environment has, and what to install when something is missing."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata


@dataclass(frozen=True)
class Finding:
    """One line of the report."""

    name: str
    ok: bool
    detail: str
    required: bool = True


PACKAGES = [
    "jupyterlab",
    "notebook",
    "nbgrader",
    "ipykernel",
    "ipywidgets",
    "matplotlib",
    "numpy",
    "memory-profiler",
    "objgraph",
    "jupytext",
]

TOOLS = [
    # (command, why, how to install, required for the course to work)
    (
        "dot",
        "draws objgraph's reference pictures",
        "apt-get install graphviz  (conda: graphviz)",
        True,
    ),
    ("bwrap", "sandboxes submissions in `advpy grade`", "apt-get install bubblewrap", False),
    ("chromium", "runs the browser tests", "apt-get install chromium", False),
]


def gil_status() -> str:
    """Whether this interpreter runs with the GIL, and whether it is a free-threaded build."""
    is_enabled = getattr(sys, "_is_gil_enabled", None)
    if is_enabled is None:
        return "enabled"
    free_threaded = bool(__import__("sysconfig").get_config_var("Py_GIL_DISABLED"))
    if not free_threaded:
        return "enabled"
    return (
        "enabled (free-threaded build, GIL turned back on)"
        if is_enabled()
        else "disabled (free-threaded build)"
    )


def _tool_version(command: str) -> str:
    try:
        done = subprocess.run(
            [command, "-V"] if command == "dot" else [command, "--version"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "found"
    text = (done.stdout or done.stderr).strip().splitlines()
    return text[0] if text else "found"


def findings() -> list[Finding]:
    """Everything ``advpy doctor`` reports."""
    found = [
        Finding(
            "python",
            sys.version_info >= (3, 11),
            f"{platform.python_version()} at {sys.executable}",
        ),
        Finding("cores", True, str(os.cpu_count())),
        Finding("GIL", True, gil_status()),
    ]
    for package in PACKAGES:
        try:
            found.append(Finding(package, True, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append(Finding(package, False, "missing: run `make setup` (or pip install -e .)"))
    for command, why, install, required in TOOLS:
        path = shutil.which(command)
        if path:
            found.append(Finding(command, True, f"{_tool_version(command)} ({why})", required))
        else:
            found.append(Finding(command, False, f"missing; {why}. Install: {install}", required))
    found.append(_kernel_finding())
    found.append(_lab_extension_finding())
    return found


def _kernel_finding() -> Finding:
    from advpy.selfcheck import kernel_available

    ok = kernel_available()
    return Finding("python3 kernel", ok, "found" if ok else "missing: run `make setup`")


def _lab_extension_finding() -> Finding:
    prefix = os.path.join(sys.prefix, "share", "jupyter", "labextensions", "@jupyter", "nbgrader")
    ok = os.path.isdir(prefix)
    return Finding("nbgrader lab extension", ok, "installed" if ok else "missing: run `make setup`")


def report() -> tuple[str, bool]:
    """The text of the report, and whether everything required is there."""
    lines = []
    healthy = True
    for f in findings():
        mark = "ok  " if f.ok else ("MISS" if f.required else "note")
        lines.append(f"{mark}  {f.name:<24} {f.detail}")
        healthy &= f.ok or not f.required
    return "\n".join(lines), healthy
