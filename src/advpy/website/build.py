"""``advpy site``: the course as a static website, built with Sphinx, myst-nb and the book theme.

1. Stage the pages in a scratch source folder with the repository's layout: every lesson
   executed in a fresh kernel (fast mode unless told otherwise), its widgets replaced by still
   snapshots; every graded set in its learner version, refused when the leak scan finds a
   solution or hidden-test line in it; the "Try it" answers; a home page with the course map
   and the tables of contents in course order.
2. Run ``sphinx-build`` with the configuration in ``site/`` (nothing is executed there), into
   the work folder.
3. Scan the built pages: a graded set's page must show nothing of its solutions and hidden
   tests, and no page may load anything from outside the site. Only then does the site
   replace the output folder (``_site/``).

The lessons run with an empty progress store, so the start page's dashboard shows a new
learner's view, not the builder's own results.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

import nbformat
from nbclient.exceptions import CellExecutionError
from nbformat import NotebookNode

from advpy.course.kernel_client import SteadyNotebookClient
from advpy.course.paths import CoursePaths
from advpy.course.release import leaks, notebook_sources
from advpy.website.pages import Page, Section, coming, index_markdown, sections
from advpy.website.snapshots import snapshot_widgets

#: Seconds one cell may run (as in the test suite's lesson runs).
CELL_TIMEOUT = 300
#: What a page may load: relative paths and inline data only.
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


class SiteError(Exception):
    """The website cannot be built as it must be: the message says what to fix."""


@dataclass
class SiteResult:
    """What a build made and how long each step took (seconds)."""

    out: Path
    pages: list[Page] = field(default_factory=list)
    widgets: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def config_folder(paths: CoursePaths) -> Path:
    """``site/``: the website's Sphinx configuration and style sheet."""
    return paths.root / "site"


def kernel_environment(progress_db: Path, fast: bool) -> dict[str, str]:
    """The environment lessons run in: a learner's (inline plots, no forced matplotlib
    backend), fast mode or not, and an empty progress store of the build's own."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["ADVPY_FAST"] = "1" if fast else "0"
    env["ADVPY_PROGRESS_DB"] = str(progress_db)
    return env


def execute(
    notebook: NotebookNode, cwd: Path, env: dict[str, str], log: IO[bytes] | None = None
) -> NotebookNode:
    """Run ``notebook`` top to bottom in a fresh kernel in ``cwd``, like a learner's Run All;
    a cell that raises (unless tagged ``raises-exception``) stops the build. What the kernel
    and its child processes write to their own stdout and stderr (not the cells' outputs)
    goes to ``log``."""
    client = SteadyNotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        store_widget_state=True,
        resources={"metadata": {"path": str(cwd)}},
    )
    streams = {"stdout": log, "stderr": log} if log is not None else {}
    client.execute(env=env, **streams)
    return notebook


def instructor_version(paths: CoursePaths, page: Page) -> NotebookNode | None:
    """A graded set's instructor version (with solutions and hidden tests), if there is one."""
    path = paths.source / page.name / f"{page.name}.ipynb"
    return nbformat.read(path, as_version=4) if path.exists() else None


def learner_version(paths: CoursePaths, page: Page) -> NotebookNode:
    """A graded set's learner notebook, outputs cleared, refused if anything of its solutions
    or hidden tests is in it."""
    notebook = nbformat.read(paths.root / page.source, as_version=4)
    leaked = leaks(notebook_sources(notebook), instructor_version(paths, page))
    if leaked:
        raise SiteError(
            f"{page.source}: the learner's version shows solution or hidden-test lines "
            f"({leaked[:2]}); run `make build` and check the masters"
        )
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return notebook


def stage(
    paths: CoursePaths,
    parts: list[Section],
    folder: Path,
    fast: bool,
    executed: dict[str, NotebookNode] | None = None,
    say: Callable[[str], None] = print,
) -> tuple[list[Page], int]:
    """Write the website's sources into ``folder``; return the pages and the number of widget
    snapshots. Lessons named in ``executed`` are taken as already run."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    pages = [page for section in parts for page in section.pages]
    widgets = 0
    log_path = folder.parent / "kernels.log"
    with (
        tempfile.TemporaryDirectory(prefix="advpy-site-") as scratch,
        log_path.open("wb") as log,
    ):
        env = kernel_environment(Path(scratch) / "progress.sqlite3", fast)
        for page in pages:
            target = folder / page.source
            target.parent.mkdir(parents=True, exist_ok=True)
            if page.kind == "answers":
                shutil.copy2(paths.root / page.source, target)
                continue
            if page.kind == "set":
                nbformat.write(learner_version(paths, page), target)
                continue
            notebook = (executed or {}).get(page.name)
            if notebook is None:
                started = time.monotonic()
                notebook = nbformat.read(paths.root / page.source, as_version=4)
                try:
                    execute(notebook, paths.notebooks, env, log)
                except CellExecutionError as error:
                    raise SiteError(
                        f"{page.source} failed (the kernel's own log: {log_path}):\n{error}"
                    ) from error
                say(f"  ran {page.source} in {time.monotonic() - started:.1f} s")
            widgets += snapshot_widgets(notebook)
            nbformat.write(notebook, target)
    home = index_markdown(parts, fast, coming(paths))
    (folder / "index.md").write_text(home, encoding="utf-8")
    return pages, widgets


def sphinx_build(
    paths: CoursePaths, source: Path, out: Path, doctrees: Path, whole: bool = True
) -> None:
    """Run Sphinx on the staged sources; any warning fails the build. A part of the course
    (not ``whole``) may link to pages it does not hold."""
    overrides = [] if whole else ["-D", "suppress_warnings=myst.xref_missing"]
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-b",
        "html",
        "-q",
        "-W",
        "--keep-going",
        "-c",
        str(config_folder(paths)),
        "-d",
        str(doctrees),
        *overrides,
        str(source),
        str(out),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SiteError(f"sphinx-build failed:\n{done.stdout}{done.stderr}")


class _PageScan(HTMLParser):
    """The text a page shows and every address it loads (not the links it merely offers)."""

    LOADS = {
        "script": ("src",),
        "img": ("src", "srcset"),
        "link": ("href",),
        "iframe": ("src",),
        "source": ("src", "srcset"),
        "audio": ("src",),
        "video": ("src", "poster"),
        "embed": ("src",),
        "object": ("data",),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = self.LOADS.get(tag, ())
        for name, value in attrs:
            if name in wanted and value:
                # a srcset lists "address width" pairs, separated by commas
                self.loads.extend(v.strip().split(" ")[0] for v in value.split(","))
            if name == "style" and value and "url(" in value:
                self.loads.extend(re.findall(r"url\(\s*['\"]?([^'\")]+)", value))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def external_loads(html_text: str) -> list[str]:
    """Every address outside the site that a page's HTML would load."""
    scan = _PageScan()
    scan.feed(html_text)
    inline_css = re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\");\s]+)", html_text)
    return [a for a in [*scan.loads, *inline_css] if EXTERNAL.match(a)]


def page_text(html_text: str) -> str:
    """The text a page shows, with the markup taken out."""
    scan = _PageScan()
    scan.feed(html_text)
    return "".join(scan.text)


def css_external(text: str) -> list[str]:
    """Addresses outside the site that a style sheet loads (``url(...)``, ``@import``)."""
    found = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
    found += re.findall(r"@import\s+['\"]([^'\"]+)", text)
    return [a for a in found if EXTERNAL.match(a)]


def scan_site(paths: CoursePaths, out: Path, pages: Iterable[Page]) -> list[str]:
    """What is wrong with the built site: external loads in any page or style sheet, and any
    solution or hidden-test line on a graded set's page."""
    problems: list[str] = []
    for page_file in sorted(out.rglob("*.html")):
        for address in external_loads(page_file.read_text(encoding="utf-8")):
            problems.append(f"{page_file.relative_to(out)} loads {address}")
    for css in sorted(out.rglob("*.css")):
        for address in css_external(css.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{css.relative_to(out)} loads {address}")
    for page in pages:
        if page.kind != "set":
            continue
        built = out / f"{page.docname}.html"
        instructor = instructor_version(paths, page)
        for leaked in leaks(page_text(built.read_text(encoding="utf-8")), instructor):
            problems.append(f"{built.relative_to(out)} shows {leaked!r}")
        copy = out / "_sources" / page.source
        if copy.exists():  # the notebook the page offers for download
            offered = notebook_sources(nbformat.read(copy, as_version=4))
            for leaked in leaks(offered, instructor):
                problems.append(f"{copy.relative_to(out)} holds {leaked!r}")
    return problems


def build_site(
    paths: CoursePaths,
    out: Path,
    work: Path,
    *,
    fast: bool = True,
    only: set[str] | None = None,
    executed: dict[str, NotebookNode] | None = None,
    extra: dict[str, str] | None = None,
    say: Callable[[str], None] = print,
) -> SiteResult:
    """Build the website into ``out`` (staging its sources and Sphinx's cache in ``work``).

    ``only`` names the lessons and sets to build (all by default), ``executed`` lessons already
    run, and ``extra`` more source files for the site (relative path -> text)."""
    result = SiteResult(out=out)
    if out.exists() and any(out.iterdir()) and not (out / ".buildinfo").exists():
        raise SiteError(f"{out} holds files but no site built before: name a new or empty folder")
    parts = sections(paths, only)
    if not parts:
        raise SiteError(f"no lesson or graded set is called {sorted(only or [])}")
    started = time.monotonic()
    say(f"Running the lessons ({'fast' if fast else 'full'} mode) ...")
    result.pages, result.widgets = stage(paths, parts, work / "source", fast, executed, say)
    for relative, text in (extra or {}).items():
        (work / "source" / relative).write_text(text, encoding="utf-8")
    result.timings["execute"] = time.monotonic() - started
    started = time.monotonic()
    say("Building the pages with Sphinx ...")
    # Sphinx writes into the work folder (myst-nb puts its copies of the notebooks beside the
    # output), and the site replaces ``out`` only once the scan has passed.
    html = work / "html"
    if html.exists():
        shutil.rmtree(html)
    sphinx_build(paths, work / "source", html, work / "doctrees", whole=only is None)
    result.timings["sphinx"] = time.monotonic() - started
    problems = scan_site(paths, html, result.pages)
    if problems:
        raise SiteError("the site must not be published:\n  " + "\n  ".join(problems))
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(html, out)
    return result
