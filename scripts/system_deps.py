#!/usr/bin/env python3
"""The system packages the course needs (``scripts/system-packages.txt``): check, and install.

The Makefile runs this with the system's ``python3`` before the course's venv exists, so it uses
only the standard library and runs on Python 3.9 and newer:

    python3 scripts/system_deps.py --for lab      # make lab, make setup
    python3 scripts/system_deps.py --for test     # make test (everything in the list)
    python3 scripts/system_deps.py --check-only   # report what is missing, install nothing
    python3 scripts/system_deps.py --python-version [X.Y.Z]

When nothing is missing it prints nothing and exits 0 at once. Otherwise it installs what is
missing when that needs no password: as root with apt-get, with passwordless sudo and apt-get,
or with Homebrew on macOS (``ADVPY_SYSTEM_INSTALL=never`` turns this off). Then it checks again.
Whatever is still missing ends the run with exit status 1 and one message naming each thing, its
package and the command that installs it.

``--python-version`` checks that a Python (this interpreter, or the version given) is new
enough for the pinned packages. ``advpy doctor`` loads this file for the list and its hints.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

LIST_FILE = Path(__file__).resolve().with_name("system-packages.txt")
COLUMNS = ("name", "detect", "debian", "brew", "needs", "purpose")
GOALS = ("lab", "test")
NO_BREW = "-"
#: Set to "never" and nothing is installed: missing packages are only reported.
INSTALL_SWITCH = "ADVPY_SYSTEM_INSTALL"
#: The oldest Python the pinned packages install on (soupsieve 4.1.3 requires 3.11.5).
MINIMUM_PYTHON = (3, 11, 5)
#: An entry whose Debian package is this is an npm package, named by its ``name`` column:
#: Debian's npm brings the installer, then ``npm install -g NAME@VERSION`` the package.
NPM = "npm"
#: The version of each npm package of the list.
NPM_PINS = {"configurable-http-proxy": "5.3.0"}


@dataclass(frozen=True)
class SystemPackage:
    """One line of the list: a thing the course uses and the packages that bring it."""

    name: str
    detect: str  # commands on PATH or absolute paths (wildcards allowed), comma-separated
    debian: str
    brew: str  # NO_BREW when Homebrew has no formula for it
    needs: str  # "lab": make lab needs it (and so make test); "test": only make test
    purpose: str

    @property
    def alternatives(self) -> list[str]:
        """The ways ``detect`` names it: any one of them found is enough."""
        return self.detect.split(",")

    def found_at(self) -> str | None:
        """The first alternative found: a command's name, or the file a path matched."""
        for alternative in self.alternatives:
            if not os.path.isabs(alternative):
                if shutil.which(alternative) is not None:
                    return alternative
                continue
            files = [f for f in sorted(glob.glob(alternative)) if os.path.isfile(f)]
            if files:
                return files[-1]
        return None

    def is_present(self) -> bool:
        """Whether a command is on PATH, or a file exists, as ``detect`` names them."""
        return self.found_at() is not None

    @property
    def npm_spec(self) -> str | None:
        """``name@version`` for ``npm install -g`` when npm installs it, else None."""
        return f"{self.name}@{NPM_PINS[self.name]}" if self.debian == NPM else None

    def needed_for(self, goal: str) -> bool:
        """``make test`` needs every entry; ``make lab`` only those marked "lab"."""
        return goal == "test" or self.needs == "lab"


def read_list(path: Path = LIST_FILE) -> list[SystemPackage]:
    """The entries of the list file; a malformed line raises ValueError naming its place."""
    packages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        fields = text.split(None, len(COLUMNS) - 1)
        where = f"{path}:{number}"
        if len(fields) != len(COLUMNS):
            raise ValueError(f"{where}: needs {len(COLUMNS)} columns ({', '.join(COLUMNS)})")
        package = SystemPackage(*fields)
        if package.debian == NPM and package.name not in NPM_PINS:
            raise ValueError(f"{where}: the npm package {package.name} has no pin in NPM_PINS")
        if package.needs not in GOALS:
            raise ValueError(f"{where}: needs is {package.needs!r}, not one of {GOALS}")
        for alternative in package.alternatives:
            if not alternative or ("/" in alternative and not os.path.isabs(alternative)):
                raise ValueError(f"{where}: detect is command names or absolute paths, with commas")
        packages.append(package)
    return packages


def missing_for(goal: str, packages: list[SystemPackage]) -> list[SystemPackage]:
    """The entries ``goal`` needs that this machine lacks."""
    return [p for p in packages if p.needed_for(goal) and not p.is_present()]


def _unique(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


def install_hints(packages: list[SystemPackage]) -> list[str]:
    """The commands a person types to install ``packages``: apt-get's, then brew's if any."""
    sudo = "" if _is_root() else "sudo "
    hints = [f"{sudo}apt-get install {' '.join(_unique([p.debian for p in packages]))}"]
    formulae = _unique([p.brew for p in packages if p.brew != NO_BREW])
    if formulae:
        hints.append(f"brew install {' '.join(formulae)}")
    specs = [spec for spec in (p.npm_spec for p in packages) if spec]
    if specs:
        hints.append(f"then: {sudo}npm install -g {' '.join(specs)}")
    return hints


def _npm_install(missing: list[SystemPackage], prefix: list[str]) -> list[list[str]]:
    specs = [spec for spec in (p.npm_spec for p in missing) if spec]
    return [[*prefix, "npm", "install", "-g", "--no-fund", "--no-audit", *specs]] if specs else []


def _passwordless_sudo() -> bool:
    if shutil.which("sudo") is None:
        return False
    try:
        done = subprocess.run(["sudo", "-n", "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def install_plan(missing: list[SystemPackage]) -> tuple[list[list[str]], str]:
    """The commands that install ``missing`` without asking anyone, or none and why not."""
    if os.environ.get(INSTALL_SWITCH, "").strip().lower() == "never":
        return [], f"{INSTALL_SWITCH}=never"
    if sys.platform == "darwin":
        formulae = _unique([p.brew for p in missing if p.brew != NO_BREW])
        if shutil.which("brew") is None:
            return [], "Homebrew (brew) is not installed"
        if shutil.which("npm") is not None:
            formulae = [f for f in formulae if f != "node"]
        if not formulae and not any(p.npm_spec for p in missing):
            return [], "Homebrew has none of them"
        brew = [["brew", "install", *formulae]] if formulae else []
        return brew + _npm_install(missing, []), ""
    if shutil.which("apt-get") is None:
        return [], "this system has neither apt-get nor Homebrew"
    if _is_root():
        prefix: list[str] = []
    elif _passwordless_sudo():
        prefix = ["sudo", "-n"]
    else:
        return [], "installing needs root or passwordless sudo, and this user has neither"
    apt_get = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
    debs = _unique([p.debian for p in missing])
    if shutil.which("npm") is not None:
        debs = [d for d in debs if d != NPM]
    apt = [
        [*apt_get, "update", "-qq"],
        [*apt_get, "install", "-y", "-qq", "--no-install-recommends", *debs],
    ]
    return (apt if debs else []) + _npm_install(missing, prefix), ""


def run_plan(commands: list[list[str]]) -> str:
    """Run the commands in order; an empty string when all succeeded, else what failed."""
    for command in commands:
        print(f"+ {' '.join(command)}", file=sys.stderr, flush=True)
        try:
            done = subprocess.run(command)
        except OSError as error:
            return f"`{' '.join(command)}` could not start: {error}"
        if done.returncode != 0:
            return f"`{' '.join(command)}` failed with exit status {done.returncode}"
    return ""


def missing_message(goal: str, missing: list[SystemPackage], reason: str) -> str:
    """The one message for what is still missing: each thing, its packages, how to install."""
    width = max(len(p.name) for p in missing)
    lines = [f"`make {goal}` needs system packages that this machine lacks:"]
    for p in missing:
        brew = f"Homebrew {p.brew}" if p.brew != NO_BREW else "no Homebrew formula"
        lines.append(f"  {p.name:<{width}}  Debian {p.debian}, {brew}: {p.purpose}")
    lines.append("Install them, then run make again:")
    lines.extend(f"  {hint}" for hint in install_hints(missing))
    linux_only = [p.name for p in missing if p.brew == NO_BREW]
    if linux_only:
        lines.append(f"  ({', '.join(linux_only)}: no Homebrew formula; `make {goal}` needs Linux)")
    lines.append(f"They were not installed automatically: {reason}.")
    return "\n".join(lines)


def ensure(goal: str, may_install: bool) -> int:
    """Check what ``goal`` needs, install what is missing if allowed and possible, report."""
    packages = read_list()
    missing = missing_for(goal, packages)
    if not missing:
        return 0
    commands, reason = install_plan(missing) if may_install else ([], "--check-only")
    if commands:
        names = ", ".join(p.name for p in missing)
        print(f"Installing the system packages `make {goal}` needs ({names}):", file=sys.stderr)
        failure = run_plan(commands)
        missing = missing_for(goal, packages)
        if not missing:
            print(f"Installed: `make {goal}` has every system package it needs.", file=sys.stderr)
            return 0
        reason = failure or "the installer succeeded but they are still not found"
    print(missing_message(goal, missing, reason), file=sys.stderr)
    return 1


def parse_version(text: str) -> tuple[int, ...]:
    """``"3.11.2"`` as ``(3, 11, 2)``; a missing micro counts as 0, a suffix like rc1 is ignored."""
    match = re.match(r"(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    if match is None:
        raise ValueError(f"not a Python version: {text!r}")
    return tuple(int(number or 0) for number in match.groups())


def python_version_problem(version: tuple[int, ...], interpreter: str) -> str:
    """Why this Python cannot set up the course, with what to install; empty when it can."""
    if version >= MINIMUM_PYTHON:
        return ""
    shown = ".".join(map(str, version))
    minimum = ".".join(map(str, MINIMUM_PYTHON))
    return "\n".join(
        [
            f"Python {shown} ({interpreter}) is too old: the pinned packages need Python "
            f"{minimum} or newer.",
            "Install a newer Python and name it when you run make, e.g. "
            "`make PYTHON=python3.12 test`:",
            "  Debian/Ubuntu: apt-get install python3.12 python3.12-venv, where the release has it",
            "                 (Debian 12 has nothing newer than 3.11.2: use pyenv or conda there)",
            "  macOS:         brew install python@3.12",
            "  pyenv:         pyenv install 3.12, then "
            'make PYTHON="$(pyenv prefix 3.12)/bin/python3" test',
            "  conda:         conda env create -f environment.yml (see README.md)",
        ]
    )


def check_python(version_text: str | None) -> int:
    """Exit status of ``--python-version``: 0 when new enough, else 1 with the message."""
    if version_text is None:
        version: tuple[int, ...] = tuple(sys.version_info[:3])
        interpreter = sys.executable or "this interpreter"
    else:
        version = parse_version(version_text)
        interpreter = "as given"
    problem = python_version_problem(version, interpreter)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--for",
        dest="goal",
        choices=GOALS,
        default="test",
        help="what to check for: make lab needs less than make test (default: test)",
    )
    parser.add_argument(
        "--check-only", action="store_true", help="report what is missing, install nothing"
    )
    parser.add_argument(
        "--python-version",
        nargs="?",
        const="",
        metavar="X.Y.Z",
        help=f"check instead that this Python (or X.Y.Z) is at least "
        f"{'.'.join(map(str, MINIMUM_PYTHON))}",
    )
    args = parser.parse_args(argv)
    if args.python_version is not None:
        try:
            return check_python(args.python_version or None)
        except ValueError as error:
            parser.error(str(error))
    return ensure(args.goal, may_install=not args.check_only)


if __name__ == "__main__":
    sys.exit(main())
