"""The package's parts import one way (the contracts in pyproject.toml), and only the command
line reads the process's arguments."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
from pathlib import Path

from advpy.course.paths import CoursePaths

#: Modules run as programs of their own (``python -m``, or by path as the services' watchdog
#: is), which read their own arguments; and the warm self-check's kernel template, which gives
#: each kernel it forks the arguments of the kernel's own command.
OWN_PROGRAMS = {
    "cli.py",
    "grade/worker.py",
    "lessons/memory/forking.py",
    # Programs copied into lesson 18's container images and run there, never imported.
    "lessons/deployment/files/app.py",
    "lessons/deployment/files/bundle.py",
    "lessons/thread_safety/deadlock.py",
    "services/watchdog.py",
    "selfcheck_warm/server.py",
    "selfcheck_warm/kernel.py",
}


def test_import_contracts_hold(paths: CoursePaths) -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=paths.root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    settings = tomllib.loads((paths.root / "pyproject.toml").read_text())
    contracts = len(settings["tool"]["importlinter"]["contracts"])
    assert contracts >= 6
    assert f"{contracts} kept" in done.stdout, "a contract of pyproject.toml was not checked"


def _reads_argv(tree: ast.AST) -> bool:
    """True when the module reads ``sys.argv`` or parses arguments with ``argparse``."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "argv":
            if isinstance(node.value, ast.Name) and node.value.id == "sys":
                return True
        if isinstance(node, ast.Import) and any(a.name == "argparse" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "argparse":
            return True
    return False


def test_only_the_command_line_reads_argv(paths: CoursePaths) -> None:
    package = paths.root / "src" / "advpy"
    readers = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if _reads_argv(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert "cli.py" in readers
    assert readers <= OWN_PROGRAMS, f"these modules read sys.argv: {sorted(readers - OWN_PROGRAMS)}"
