"""Pictures of object references, drawn by objgraph through Graphviz's ``dot`` program.

objgraph walks the references between live objects and writes a graph in Graphviz's text
format; ``dot`` turns that text into an image. This module keeps the two steps apart so that a
missing ``dot`` gives one clear message (what to install) instead of a traceback or a silent
"not doing anything else" from objgraph:

- :func:`dot_source` asks objgraph for the graph text (needs no Graphviz);
- :func:`render` runs ``dot`` on it and returns the image bytes;
- :func:`draw` does both; :func:`save` writes the picture to a file;
- :func:`picture` returns something a notebook displays: the image, or the install advice.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import objgraph

__all__ = [
    "INSTALL_ADVICE",
    "GraphvizMissing",
    "Format",
    "find_dot",
    "graphviz_status",
    "dot_source",
    "render",
    "draw",
    "save",
    "picture",
    "not_a_type",
]

Format = Literal["png", "svg"]

INSTALL_ADVICE = (
    "objgraph draws its pictures with Graphviz's `dot` program, and `dot` is not on this "
    "machine's PATH. Install Graphviz, then run the cell again (restart the kernel if `dot` "
    "is still not found):\n"
    "- Debian or Ubuntu: `sudo apt-get install graphviz`\n"
    "- conda: `conda install graphviz`\n"
    "- macOS with Homebrew: `brew install graphviz`\n"
    "- Windows: `winget install graphviz`, then add its `bin` folder to PATH\n"
    "(`pip install graphviz` is not enough: it installs a Python wrapper, not the program.)"
)


class GraphvizMissing(RuntimeError):
    """Graphviz's ``dot`` program is not installed (or not on PATH)."""

    def __init__(self) -> None:
        super().__init__(INSTALL_ADVICE)


def find_dot() -> str | None:
    """The path of Graphviz's ``dot`` program, or ``None`` when it is not on PATH."""
    return shutil.which("dot")


def graphviz_status() -> str:
    """One line saying which ``dot`` will draw the pictures, or what to install."""
    dot = find_dot()
    if dot is None:
        return INSTALL_ADVICE
    done = subprocess.run([dot, "-V"], capture_output=True, text=True, timeout=30, check=False)
    version = (done.stderr or done.stdout).strip().splitlines()
    return f"Graphviz found: {version[0] if version else dot} ({dot})"


def not_a_type(obj: Any) -> bool:
    """A filter for pictures: leave out classes (and so their methods and attribute tables)."""
    return not isinstance(obj, type)


def dot_source(
    objs: list[Any],
    *,
    backrefs: bool = False,
    max_depth: int = 3,
    too_many: int = 10,
    filter: Callable[[Any], bool] | None = not_a_type,
) -> str:
    """objgraph's graph of ``objs`` as Graphviz text.

    ``backrefs=False`` follows what the objects refer to (``show_refs``); ``backrefs=True``
    follows what refers to them (``show_backrefs``). ``objs`` must be a list: objgraph leaves
    the very list it is given out of the picture, so pass a list built for the call, as in
    ``dot_source([node])``. Needs no Graphviz.
    """
    if not isinstance(objs, list):
        raise TypeError("dot_source takes a list of objects, e.g. dot_source([node])")
    text = io.StringIO()
    show = objgraph.show_backrefs if backrefs else objgraph.show_refs
    show(objs, max_depth=max_depth, too_many=too_many, filter=filter, output=text)
    return text.getvalue()


def render(source: str, fmt: Format = "png", *, timeout: float = 60.0) -> bytes:
    """Run Graphviz's ``dot`` on ``source`` and return the image bytes (PNG or SVG).

    Raises :class:`GraphvizMissing` when ``dot`` is not installed, and ``RuntimeError`` with
    dot's own message when it rejects the graph.
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"fmt must be 'png' or 'svg', not {fmt!r}")
    dot = find_dot()
    if dot is None:
        raise GraphvizMissing()
    done = subprocess.run(
        [dot, f"-T{fmt}"],
        input=source.encode("utf-8"),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RuntimeError(f"Graphviz's dot failed (exit code {done.returncode}): {message}")
    return done.stdout


def draw(objs: list[Any], fmt: Format = "png", **options: Any) -> bytes:
    """The picture of ``objs`` (see :func:`dot_source` for the options) as image bytes."""
    return render(dot_source(objs, **options), fmt)


def save(objs: list[Any], path: str | Path, **options: Any) -> Path:
    """Draw ``objs`` into ``path``; the suffix (``.png`` or ``.svg``) picks the format."""
    target = Path(path)
    fmt = target.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"save a picture as .png or .svg, not {target.name!r}")
    target.write_bytes(draw(objs, fmt, **options))  # type: ignore[arg-type]
    return target


def picture(objs: list[Any], *, alt: str, fmt: Format = "png", **options: Any) -> Any:
    """Something a notebook cell shows: the picture of ``objs``, or the install advice.

    Returns an ``IPython.display.Image`` (or ``SVG``) when Graphviz is installed, and an
    ``IPython.display.Markdown`` that says what to install when it is not, so a lesson keeps
    running on a machine without Graphviz.
    """
    from IPython.display import SVG, Image, Markdown

    try:
        data = draw(objs, fmt, **options)
    except GraphvizMissing as missing:
        return Markdown(f"**No picture:** {missing}")
    if fmt == "svg":
        return SVG(data=data)
    return Image(data=data, format="png", alt=alt)
