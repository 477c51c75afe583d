"""Base images built from this machine's own files, and three ways to package one app.

Nothing can be pulled here, so the lesson makes its base images itself, ``FROM scratch``:

- ``advpy/python:3.11`` (the "full" base): busybox's shell and tools, Debian's Python 3.11
  with its whole standard library, and every shared library ``ldd`` names for it and its
  extension modules; it also holds ``/opt/advpy/bundle.py``, the tool a build stage uses to
  copy an app and only the Python it needs into one folder;
- ``advpy/python:3.11-slim``: the same shell and interpreter with the standard library
  trimmed (no ``ensurepip``, ``idlelib``, ``tkinter``, ``lib2to3``, ``pydoc_data``,
  ``unittest``, ``distutils``, byte-code caches).

Then one app (``files/app.py``) is packaged three ways:

- **naive**: one stage on the full base, the whole build folder copied in (tests, a build
  cache), compiled, and the cache deleted by a later ``RUN``;
- **slim**: one stage on the slim base, only the app copied;
- **multi-stage**: a build stage on the full base runs ``bundle.py``; the final stage starts
  ``FROM scratch`` and copies only that folder: no shell, no package tools, a non-root user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from advpy.services.containers import ContainerEngine

FILES = Path(__file__).with_name("files")
#: The interpreter copied into the images: Debian's, whose standard library sits in /usr/lib.
HOST_PYTHON = "/usr/bin/python3.11"
HOST_STDLIB = "/usr/lib/python3.11"
BUSYBOX = "/bin/busybox"
FULL_BASE = "localhost/advpy/python:3.11"
SLIM_BASE = "localhost/advpy/python:3.11-slim"
#: What the slim base leaves out of the standard library.
TRIMMED = (
    "ensurepip",
    "idlelib",
    "tkinter",
    "turtledemo",
    "lib2to3",
    "pydoc_data",
    "unittest",
    "distutils",
    "test",
    "config-3.11-x86_64-linux-gnu",
)
#: The port the app's image says it listens on.
APP_PORT = 8080
#: The non-root user the multi-stage image runs as.
APP_UID = 10001

#: What the base images say besides their files.
BASE_CHANGES = ("ENV PATH=/usr/bin:/bin",)

NAIVE_FILE = f"""\
FROM {FULL_BASE}
COPY . /app
RUN rm -rf /app/build-cache
CMD python3 /app/app.py {APP_PORT}
"""

SLIM_FILE = f"""\
FROM {SLIM_BASE}
COPY app.py /app/app.py
EXPOSE {APP_PORT}
CMD ["python3", "/app/app.py", "{APP_PORT}"]
"""

MULTI_STAGE_FILE = f"""\
FROM {FULL_BASE} AS build
COPY app.py /src/app.py
RUN ["python3", "/opt/advpy/bundle.py", "/src/app.py", "/out"]

FROM scratch
COPY --from=build /out/ /
USER {APP_UID}
EXPOSE {APP_PORT}
ENTRYPOINT ["/usr/bin/python3", "/app/app.py"]
CMD ["{APP_PORT}"]
"""

CONTAINERFILES = {"naive": NAIVE_FILE, "slim": SLIM_FILE, "multi-stage": MULTI_STAGE_FILE}


def linked_libraries(path: str) -> list[str]:
    """The shared libraries ``ldd`` names for a program or an extension module."""
    done = subprocess.run(["ldd", path], capture_output=True, text=True, check=False)
    return [
        part for line in done.stdout.splitlines() for part in line.split() if part.startswith("/")
    ]


def _applets() -> list[str]:
    done = subprocess.run([BUSYBOX, "--list"], capture_output=True, text=True, check=True)
    return [name for name in done.stdout.split() if "/" not in name]


def _copy(source: str | Path, rootfs: Path, target: str | None = None) -> None:
    destination = rootfs / (target or str(source)).lstrip("/")
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(os.path.realpath(source), destination)


def _ignore_trimmed(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name in TRIMMED or name == "__pycache__"]


def write_base_rootfs(folder: Path, *, slim: bool) -> Path:
    """The root file system of the full or the slim base image, in ``folder/rootfs``."""
    folder.mkdir(parents=True, exist_ok=True)
    rootfs = folder / "rootfs"
    _copy(BUSYBOX, rootfs, "/bin/busybox")
    for applet in _applets():  # busybox --install, done here: one layer fewer to copy
        link = rootfs / "bin" / applet
        if not link.exists():
            link.symlink_to("busybox")
    _copy(HOST_PYTHON, rootfs, "/usr/bin/python3")
    stdlib = HOST_STDLIB
    shutil.copytree(
        stdlib,
        rootfs / "usr/lib/python3.11",
        ignore=_ignore_trimmed if slim else None,
        symlinks=True,
    )
    natives = [HOST_PYTHON, *map(str, Path(stdlib, "lib-dynload").glob("*.so"))]
    libraries = {library for native in natives for library in linked_libraries(native)}
    for library in sorted(libraries):
        _copy(library, rootfs)
    if not slim:
        _copy(FILES / "bundle.py", rootfs, "/opt/advpy/bundle.py")
    return rootfs


def write_app_context(folder: Path, kind: str, *, cache_bytes: int) -> Path:
    """The build folder of the app packaged as ``kind`` (naive, slim or multi-stage). The
    naive one also holds what a build folder holds in real life: tests and a build cache of
    ``cache_bytes`` (random, so that it does not compress)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(FILES / "app.py", folder / "app.py")
    (folder / "Containerfile").write_text(CONTAINERFILES[kind])
    if kind == "naive":
        (folder / "tests").mkdir(exist_ok=True)
        (folder / "tests" / "test_app.py").write_text("def test_nothing():\n    pass\n")
        (folder / "build-cache").mkdir(exist_ok=True)
        (folder / "build-cache" / "wheels.bin").write_bytes(os.urandom(cache_bytes))
    return folder


@dataclass(frozen=True)
class ImageRecord:
    """One built image: its size, its layers (newest first, bytes each), the build time."""

    name: str
    tag: str
    size: int
    layers: list[tuple[str, int]]
    build_seconds: float


def build_bases(engine: ContainerEngine, folder: Path) -> dict[str, ImageRecord]:
    """Build the full and the slim base images; returns their records by kind."""
    records = {}
    for kind, tag in (("full", FULL_BASE), ("slim", SLIM_BASE)):
        rootfs = write_base_rootfs(folder / f"base-{kind}", slim=kind == "slim")
        start = time.perf_counter()
        engine.import_rootfs(rootfs, tag, changes=BASE_CHANGES)
        records[kind] = _record(engine, kind, tag, time.perf_counter() - start)
        shutil.rmtree(rootfs)
    return records


def _build(engine: ContainerEngine, context: Path, name: str, tag: str) -> ImageRecord:
    start = time.perf_counter()
    engine.build(context, tag)
    return _record(engine, name, tag, time.perf_counter() - start)


def _record(engine: ContainerEngine, name: str, tag: str, seconds: float) -> ImageRecord:
    layers = [(layer.created_by, layer.size) for layer in engine.layers(tag)]
    return ImageRecord(name, tag, engine.image_size(tag), layers, seconds)


def build_app_images(
    engine: ContainerEngine, folder: Path, *, cache_bytes: int
) -> dict[str, ImageRecord]:
    """Build the app the naive, slim and multi-stage way (the bases must exist)."""
    records = {}
    for kind in CONTAINERFILES:
        context = write_app_context(folder / f"app-{kind}", kind, cache_bytes=cache_bytes)
        records[kind] = _build(engine, context, kind, f"localhost/advpy/app:{kind}")
    return records


def instruction(created_by: str) -> str:
    """A layer's instruction as written in a Containerfile, from podman's history text."""
    text = created_by.replace("/bin/sh -c #(nop) ", "").strip()
    if text.startswith("/bin/sh -c "):
        text = "RUN " + text.removeprefix("/bin/sh -c ")
    if " dir:" in text or " file:" in text:
        text = text.split(" dir:")[0].split(" file:")[0] + " …"
    return text[:60]


def layer_table(record: ImageRecord) -> list[tuple[str, float]]:
    """The image's layers oldest first, as (instruction, megabytes), empty ones left out."""
    return [
        (instruction(created_by), size / 1e6)
        for created_by, size in reversed(record.layers)
        if size > 0
    ]
