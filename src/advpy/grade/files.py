"""Reading a submission's files on the grader's side, where a file is only what it claims to be
if the grader checks.

A submission folder is written by students (through ``collect`` or ``zip_collect``), and the
grader runs with the instructor's rights: a symbolic link would let it read the instructor's
own notebook or any other file as the student's work, and opening a named pipe for reading
waits forever for a writer. So only regular files are read: each is looked at without
following links (``lstat``) before it is opened, opened with ``O_NOFOLLOW | O_NONBLOCK`` and
checked again on the open descriptor; anything else is refused with the reason, which the
report shows.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_BLOCK = 1 << 20


class RefusedFile(OSError):
    """A path that is not a regular file the grader may read; the message says what it is."""


def kind_of(mode: int) -> str:
    """What a file of ``mode`` is, in words (for a reason in the report)."""
    kinds = (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISDIR, "a folder"),
    )
    return next((words for test, words in kinds if test(mode)), "not a regular file")


def open_regular(path: Path | str) -> int:
    """A read-only descriptor of the regular file at ``path`` (the caller closes it), or
    :class:`RefusedFile` for anything else, without ever following a link or opening a pipe or
    a device."""
    mode = os.lstat(path).st_mode
    if not stat.S_ISREG(mode):
        raise RefusedFile(f"{kind_of(mode)}, not a regular file")
    fd = os.open(path, _OPEN_FLAGS)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # replaced between the two looks
            raise RefusedFile(f"{kind_of(mode)}, not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``; :class:`RefusedFile` for anything else or for
    a file larger than ``limit`` bytes."""
    fd = open_regular(path)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise RefusedFile(f"larger than {limit // 2**20} MB")
        chunks = []
        while block := os.read(fd, _BLOCK):
            chunks.append(block)
        return b"".join(chunks)
    finally:
        os.close(fd)


def copy_regular(source: Path | str, target: Path) -> int:
    """Copy the regular file ``source`` to ``target`` (a new file in a folder of the grader's)
    with its modification time; return its size. :class:`RefusedFile` for anything else."""
    fd = open_regular(source)
    try:
        info = os.fstat(fd)
        with open(fd, "rb", closefd=False) as reader, open(target, "wb") as writer:
            while block := reader.read(_BLOCK):
                writer.write(block)
    finally:
        os.close(fd)
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    return info.st_size


def folder_problem(path: Path) -> str | None:
    """Why ``path`` is not a real folder the grader may walk (a link, a file...), or None."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return None if stat.S_ISDIR(mode) else f"is {kind_of(mode)}, not a folder"


@dataclass
class Listing:
    """The regular files of a folder, and what was left out."""

    files: list[tuple[str, Path]] = field(default_factory=list)  # (relative path, path), sorted
    refused: list[tuple[str, str]] = field(default_factory=list)  # (relative path, why), sorted


def list_regular_files(folder: Path, ignore: list[str]) -> Listing:
    """Every regular file under ``folder`` whose name (and folders' names) match none of the
    ``ignore`` patterns; links, pipes, devices and sockets are refused, never followed."""
    listing = Listing()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError as error:
            listing.refused.append((str(current.relative_to(folder)), error.strerror or "error"))
            continue
        for entry in entries:
            if any(fnmatch.fnmatch(entry.name, pattern) for pattern in ignore):
                continue
            path = Path(entry.path)
            relative = str(path.relative_to(folder))
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                listing.refused.append((relative, error.strerror or "cannot be read"))
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif stat.S_ISREG(mode):
                listing.files.append((relative, path))
            else:
                listing.refused.append((relative, f"{kind_of(mode)}, not a regular file"))
    listing.files.sort()
    listing.refused.sort()
    return listing
