"""Which services this machine can start, and what to install for the others (for
``advpy doctor``). Nothing is started: a program found is reported with its version."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from advpy.services import programs
from advpy.services.postgres import account_plan


@dataclass(frozen=True)
class ServiceStatus:
    """One service: whether it can start here, and where it is or how to install it."""

    name: str
    ready: bool
    detail: str


def program_version(path: Path, flag: str) -> str:
    """The first line the program prints for its version flag, or "" if it prints none."""
    try:
        done = subprocess.run(
            [str(path), flag], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else ""


def _uvicorn() -> ServiceStatus:
    try:
        version = metadata.version("uvicorn")
    except metadata.PackageNotFoundError:
        return ServiceStatus("uvicorn", False, "missing: run `make setup` (or pip install -e .)")
    return ServiceStatus("uvicorn", True, f"ready: uvicorn {version}, in a thread or a process")


def _program(program: programs.Program) -> ServiceStatus:
    name = program.service.lower()
    found = programs.find(program)
    if found is None:
        hints = " or ".join(hint.split("    ")[0] for hint in programs.install_hints(program))
        return ServiceStatus(name, False, f"missing: install with {hints}")
    detail = f"ready: {found}"
    version = program_version(found, program.version_flag)
    if version:
        detail += f" ({version})"
    if program is programs.POSTGRES:
        detail += f"; {account_plan()}"
    return ServiceStatus(name, True, detail)


def status() -> list[ServiceStatus]:
    """Every service of :mod:`advpy.services`, ready or missing."""
    return [_uvicorn(), *(_program(program) for program in programs.PROGRAMS)]
