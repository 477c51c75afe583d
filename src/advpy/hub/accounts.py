"""The trial's users: real Unix accounts (nbgrader's exchange tells students apart by their
Unix user), each with a private home, created for the trial and removed after it."""

from __future__ import annotations

import os
import pwd
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass

#: Every trial account's name starts with this, then a tag of the trial, then its role.
PREFIX = "advpy"


class AccountError(Exception):
    """A user could not be created or removed."""


@dataclass(frozen=True)
class Account:
    """A Unix user of the trial."""

    name: str
    uid: int
    gid: int
    home: str


def trial_tag() -> str:
    """A short random tag that keeps two trials' user names apart."""
    return secrets.token_hex(3)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise AccountError(f"`{' '.join(command)}` failed: {done.stderr.strip()}")


def create(name: str) -> Account:
    """Create the Unix user ``name`` with a group of its own and a home only it may enter."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        pass
    else:
        raise AccountError(f"a user {name} exists already; the trial makes its own users")
    _run(["useradd", "--create-home", "--user-group", "--shell", "/bin/sh", name])
    entry = pwd.getpwnam(name)
    os.chmod(entry.pw_dir, 0o700)
    return Account(name, entry.pw_uid, entry.pw_gid, entry.pw_dir)


def processes_of(uid: int) -> list[int]:
    """The ids of the processes that run as ``uid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


def remove(account: Account, grace: float = 5.0) -> None:
    """End whatever still runs as the user (they were started for the trial), then remove the
    user, its group and its home."""
    deadline = time.monotonic() + grace
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in processes_of(account.uid):
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        while processes_of(account.uid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if not processes_of(account.uid):
            break
        deadline = time.monotonic() + grace
    _run(["userdel", "--remove", account.name])


def exists(name: str) -> bool:
    """Whether a Unix user ``name`` exists."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
