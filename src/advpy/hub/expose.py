"""Make the course's Python reachable for the trial's users, in a mount namespace of the hub's.

The single-user servers run as the learners, so they must read the interpreter, its standard
library, the course's venv and the course. A Python installed under a folder only root may
enter (pyenv's ``/root/.pyenv``) is out of their reach. Rather than open that folder, the hub
runs in a mount namespace of its own (``unshare --mount``), where each such folder is covered
with an empty in-memory folder that anyone may traverse, and only the paths the users need are
mounted back into it at their own places. Nothing changes outside the namespace, and it ends
with the hub.

Run as ``python -m advpy.hub.expose`` inside ``unshare --mount --propagation private``, with
the paths and the program in ``ADVPY_EXPOSE`` (JSON; the command line stays ``cli``'s alone):
it mounts, then replaces itself with the program.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path


def closed_folder(path: Path) -> Path | None:
    """The outermost folder above ``path`` (or ``path`` itself) that others may not traverse,
    or None when others may reach ``path``."""
    path = path.resolve()
    for folder in [*reversed(path.parents), path]:
        if folder == Path("/"):
            continue
        mode = folder.stat().st_mode
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return folder
    return None


def needed_paths() -> list[Path]:
    """What the users' servers run: the interpreter's installation and the venv."""
    return [Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()]


def plan(paths: list[Path]) -> dict[Path, list[Path]]:
    """Each closed folder to cover, with the paths under it to mount back."""
    covers: dict[Path, list[Path]] = {}
    for path in paths:
        closed = closed_folder(path)
        if closed is not None:
            covers.setdefault(closed, []).append(path.resolve())
    return covers


#: The environment variable that tells this module what to expose and what to run.
PLAN_VARIABLE = "ADVPY_EXPOSE"


def command(paths: list[Path], program: list[str]) -> tuple[list[str], dict[str, str]]:
    """``program``, run so that others may reach ``paths`` (unchanged when they already may),
    and the environment variables to add for it."""
    if not plan(paths):
        return program, {}
    wrapper = ["unshare", "--mount", "--propagation", "private"]
    wanted = {"paths": [str(p) for p in paths], "program": program}
    return [*wrapper, sys.executable, "-m", "advpy.hub.expose"], {PLAN_VARIABLE: json.dumps(wanted)}


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


def mount_plan(covers: dict[Path, list[Path]]) -> None:
    """Cover each closed folder and mount its needed paths back (in this mount namespace)."""
    keep = Path(tempfile.mkdtemp(prefix="advpy-expose-"))
    try:
        kept: list[tuple[Path, Path]] = []
        for paths in covers.values():
            for path in paths:
                slot = keep / str(len(kept))
                slot.mkdir()
                _mount("--bind", str(path), str(slot))
                kept.append((slot, path))
        for closed in covers:
            _mount("-t", "tmpfs", "-o", "mode=0755,size=1m", "advpy-hub", str(closed))
        for slot, path in kept:
            path.mkdir(parents=True, exist_ok=True)
            _mount("--bind", str(slot), str(path))
            subprocess.run(["umount", str(slot)], check=True)
    finally:
        for slot in keep.iterdir():
            slot.rmdir()
        keep.rmdir()


def main() -> int:
    wanted = json.loads(os.environ.pop(PLAN_VARIABLE, "null") or "null")
    if not isinstance(wanted, dict):
        print(f"advpy.hub.expose: {PLAN_VARIABLE} names nothing to run", file=sys.stderr)
        return 2
    mount_plan(plan([Path(p) for p in wanted["paths"]]))
    program = [str(part) for part in wanted["program"]]
    os.execvp(program[0], program)
    return 127  # not reached


if __name__ == "__main__":
    sys.exit(main())
