"""``advpy doctor``: what the environment has, and what to install when something is missing."""

from __future__ import annotations

import functools
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import ModuleType

from advpy.cores import machine_cores, usable_cores


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

#: Reads ``scripts/system-packages.txt``, the course's one list of system packages; the Makefile
#: runs the same script to install them.
SYSTEM_DEPS_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "system_deps.py"


@functools.cache
def system_deps() -> ModuleType:
    """``scripts/system_deps.py`` loaded as a module: the list's reader, checks and hints."""
    name = "advpy_system_deps"
    spec = importlib.util.spec_from_file_location(name, SYSTEM_DEPS_SCRIPT)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {SYSTEM_DEPS_SCRIPT}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclass looks its module up there
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


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


#: Programs that print their version for another flag than ``--version``.
VERSION_FLAGS = {"dot": "-V", "nginx": "-v"}


def _tool_version(command: str) -> str:
    try:
        done = subprocess.run(
            [command, VERSION_FLAGS.get(Path(command).name, "--version")],
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
            sys.version_info >= system_deps().MINIMUM_PYTHON,
            f"{platform.python_version()} at {sys.executable}",
        ),
        Finding("cores", True, f"{usable_cores()} usable of the machine's {machine_cores()}"),
        Finding("GIL", True, gil_status()),
    ]
    for package in PACKAGES:
        try:
            found.append(Finding(package, True, metadata.version(package)))
        except metadata.PackageNotFoundError:
            found.append(Finding(package, False, "missing: run `make setup` (or pip install -e .)"))
    found.extend(system_findings())
    found.extend(service_findings())
    found.append(_kernel_finding())
    found.append(_lab_extension_finding())
    return found


def system_findings() -> list[Finding]:
    """One finding per entry of ``scripts/system-packages.txt``.

    What ``make lab`` needs is required; what only ``make test`` needs is a note for a learner.
    """
    deps = system_deps()
    found = []
    for package in deps.read_list():
        required = package.needs == "lab"
        if not package.is_present():
            install = " or ".join(deps.install_hints([package]))
            detail = f"missing; {package.purpose}. Install: {install}"
            found.append(Finding(package.name, False, detail, required))
            continue
        where = package.found_at()
        if not os.path.isabs(where):
            where = _tool_version(shutil.which(where) or where)
        found.append(Finding(package.name, True, f"{where} ({package.purpose})", required))
    return found


def service_findings() -> list[Finding]:
    """One finding per server of :mod:`advpy.services`: ready to start, or missing and how to
    install it. A note, not a requirement: the system packages above say what set-up needs."""
    from advpy.services import status

    return [Finding(f"service {s.name}", s.ready, s.detail, required=False) for s in status()]


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
