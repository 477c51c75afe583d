"""The course's website (``make site``), built for a part of the course and read in a real
browser that may not reach anything outside the site.

The part: the start page (its dashboard has a widget, shown as a snapshot), the scopes lesson
(a measured plot) and its graded set (the learner's version), each lesson executed for real,
plus a page with math that MathJax must typeset from the site's own copy. The site is served on
loopback and opened in Debian's headless Chromium; every request that would leave the site is
refused and reported. Screenshots go to ``test-artifacts/site/``.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from labharness import CHROMIUM, Screenshots, launch_chromium
from playwright import sync_api

from advpy.cli import main
from advpy.course.paths import CoursePaths
from advpy.course.release import leaks
from advpy.website.build import (
    SiteError,
    SiteResult,
    build_site,
    external_loads,
    learner_version,
    page_text,
)
from advpy.website.pages import Page, sections
from advpy.website.snapshots import snapshot_widgets

ONLY = {"00_start_here", "07_scopes", "ps07_scopes"}
#: Course order of the part built: the start page, the lesson, its graded set.
ORDER = ["notebooks/00_start_here", "notebooks/07_scopes", "notebooks/exercises/ps07_scopes"]
MATH_PAGE = """---
orphan: true
---
# Math on the site

Little's law, inline: $L = \\lambda W$.

$$
\\rho = \\frac{\\lambda}{\\mu} < 1
$$
"""
VIEWPORT = {"width": 1400, "height": 900}
#: Addresses that stay inside the page: inline data, blank frames, the page's own blobs.
INSIDE = ("data:", "about:", "blob:")


# ---------------------------------------------------------------------------------------------
# Without a browser: what the build refuses and what it draws.


def test_a_learner_version_that_shows_a_solution_is_refused(tmp_path: Path) -> None:
    course = CoursePaths(tmp_path)
    secret = "    return sorted(pairs_seen_so_far_in_the_stream)  # the reference"
    instructor = nbformat.v4.new_notebook()
    instructor.cells.append(
        nbformat.v4.new_code_cell(
            f"def f():\n    ### BEGIN SOLUTION\n{secret}\n    ### END SOLUTION"
        )
    )
    (course.source / "ps99_demo").mkdir(parents=True)
    nbformat.write(instructor, course.source / "ps99_demo" / "ps99_demo.ipynb")
    learner = nbformat.v4.new_notebook()
    learner.cells.append(nbformat.v4.new_code_cell(f"def f():\n{secret}"))
    course.exercises.mkdir(parents=True)
    nbformat.write(learner, course.exercises / "ps99_demo.ipynb")
    page = Page("set", "ps99_demo", Path("notebooks/exercises/ps99_demo.ipynb"), "ps99_demo")
    with pytest.raises(SiteError, match="solution or hidden-test lines"):
        learner_version(course, page)
    learner.cells[0].source = "def f():\n    raise NotImplementedError()"
    nbformat.write(learner, course.exercises / "ps99_demo.ipynb")
    assert learner_version(course, page).cells[0].source.endswith("NotImplementedError()")


def test_the_command_names_what_it_cannot_build_and_overwrites_no_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["site", "--only", "99_no_such_lesson", "--out", str(tmp_path / "out")]) == 1
    assert "no lesson or graded set is called ['99_no_such_lesson']" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "mine.txt").write_text("keep me")
    assert main(["site", "--only", "07_scopes", "--out", str(tmp_path / "notes")]) == 1
    assert "no site built before" in capsys.readouterr().err
    assert (tmp_path / "notes" / "mine.txt").read_text() == "keep me"


def test_external_loads_are_found_and_links_are_not() -> None:
    page = """<html><head>
      <script src="https://cdn.example.org/require.js"></script>
      <link rel="stylesheet" href="//fonts.example.com/css?family=Lato">
      <link rel="stylesheet" href="_static/local.css">
      </head><body>
      <img src="_images/plot.png"><img src="data:image/png;base64,AAAA">
      <img srcset="a.png 1x, http://example.net/b.png 2x">
      <a href="https://docs.python.org/3/">a link is not a load</a>
      <div style="background: url('https://example.org/bg.png')"></div>
    </body></html>"""
    assert external_loads(page) == [
        "https://cdn.example.org/require.js",
        "//fonts.example.com/css?family=Lato",
        "http://example.net/b.png",
        "https://example.org/bg.png",
    ]


def test_a_widget_becomes_a_snapshot_of_its_controls_and_plot() -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {
            "state": {
                "box": {
                    "model_name": "VBoxModel",
                    "state": {"children": ["IPY_MODEL_menu", "IPY_MODEL_out"]},
                },
                "menu": {
                    "model_name": "DropdownModel",
                    "state": {"description": "task", "_options_labels": ["cpu", "io"], "index": 1},
                },
                "out": {
                    "model_name": "OutputModel",
                    "state": {
                        "outputs": [
                            {"output_type": "display_data", "data": {"image/png": "iVBORw0K"}}
                        ]
                    },
                },
            }
        }
    }
    view = {"model_id": "box", "version_major": 2, "version_minor": 0}
    cell = nbformat.v4.new_code_cell("panel")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "VBox()"},
        )
    ]
    notebook.cells.append(cell)
    assert snapshot_widgets(notebook) == 1
    data = notebook.cells[0].outputs[0].data
    assert "application/vnd.jupyter.widget-view+json" not in data
    assert "widgets" not in notebook.metadata
    snapshot = data["text/html"]
    assert "<option selected>io</option>" in snapshot
    assert 'src="data:image/png;base64,iVBORw0K"' in snapshot
    assert "JupyterLab" in snapshot


def test_the_table_of_contents_follows_the_course_map(paths: CoursePaths) -> None:
    parts = sections(paths)
    names = [page.name for section in parts for page in section.pages if page.kind != "answers"]
    assert names[0] == "00_start_here"
    lessons = [n for n in names if not n.startswith("ps") and n != "00_start_here"]
    assert lessons == sorted(lessons) and "01_gil" in lessons
    # each lesson is followed by its own graded set
    for lesson in lessons:
        graded = f"ps{lesson}"
        if graded in names:
            assert names.index(graded) == names.index(lesson) + 1
    assert names.index("ps31_two_sum") > names.index(lessons[-1])
    assert parts[-1].caption.startswith("Answers")


# ---------------------------------------------------------------------------------------------
# The built part of the site, read in the browser.


@pytest.fixture(scope="module")
def site(paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory) -> SiteResult:
    folder = tmp_path_factory.mktemp("site")
    return build_site(
        paths,
        folder / "out",
        folder / "work",
        only=ONLY,
        extra={"math.md": MATH_PAGE},
        say=lambda _: None,
    )


@pytest.fixture(scope="module")
def served(site: SiteResult) -> Iterator[str]:
    """The built site over HTTP on loopback; yields its base address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site.out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Screenshots:
    folder = artifacts / "site"
    shutil.rmtree(folder, ignore_errors=True)
    return Screenshots(folder)


class Reader:
    """A browser tab on the site that refuses, and remembers, every request leaving it."""

    def __init__(self, context: Any, base: str) -> None:
        self.base = base
        self.left: list[str] = []
        self.failed: list[str] = []
        context.route("**/*", self._route)
        self.page = context.new_page()
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base) or url.startswith(INSIDE):
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path, wait_until="load")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def broken(self) -> list[str]:
        """Requests for the site's own files that failed (a file the build left out)."""
        return [url for url in self.failed if url.startswith(self.base)]

    def images(self) -> list[tuple[str, int]]:
        """Every image on the page: its address and the width it decoded to (0: broken)."""
        return self.page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.currentSrc.slice(0, 80), i.naturalWidth])"
        )


@pytest.fixture(scope="module")
def reader(served: str) -> Iterator[Reader]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing (no {CHROMIUM}): install it with `apt-get install chromium`, "
            "or run `make test`, which installs it when it can",
            pytrace=False,
        )
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(viewport=VIEWPORT)
            yield Reader(context, served)
            context.close()
        finally:
            browser.close()


def _visible_images(reader: Reader) -> list[tuple[str, int]]:
    images = reader.images()
    broken = [src for src, width in images if width == 0]
    assert not broken, f"images that did not render: {broken}"
    return images


@pytest.mark.slow
def test_home_page_lists_the_course_in_order(reader: Reader, shots: Screenshots) -> None:
    page = reader.open("index.html")
    shots.take(page, "home page")
    nav = page.eval_on_selector_all(
        "nav.bd-docs-nav a.reference.internal", "links => links.map(a => a.getAttribute('href'))"
    )
    docs = [href.removesuffix(".html") for href in nav if href.startswith("notebooks/")]
    assert docs == ORDER, f"the side bar's order: {docs}"
    assert reader.left == [], f"requests that left the site: {reader.left}"


@pytest.mark.slow
def test_start_page_shows_the_map_the_dashboard_and_a_widget_snapshot(
    reader: Reader, shots: Screenshots
) -> None:
    page = reader.open("notebooks/00_start_here.html")
    assert page.locator("table").count() >= 1, "the course map's tables are not rendered"
    snapshot = page.locator(".advpy-widget-snapshot").first
    snapshot.scroll_into_view_if_needed()
    assert "Refresh" in snapshot.inner_text()
    shots.take(page, "start page dashboard and widget snapshot")
    images = _visible_images(reader)
    assert images, "the dashboard's picture is missing"
    # the site was built with an empty progress store, not the builder's own results
    assert "not checked yet" in page.inner_text("article")
    assert reader.left == [], f"requests that left the site: {reader.left}"


@pytest.mark.slow
def test_lesson_page_has_its_plot_and_says_how_to_open_it(
    reader: Reader, shots: Screenshots
) -> None:
    page = reader.open("notebooks/07_scopes.html")
    banner = page.locator(".advpy-open-in-lab").first
    assert "notebooks/07_scopes.ipynb" in banner.inner_text()
    assert "make lab" in banner.inner_text()
    shots.take(page, "scopes lesson top")
    images = _visible_images(reader)
    plots = [src for src, _ in images if "_images/" in src]
    assert plots, f"no measured plot on the lesson's page: {images}"
    page.locator("img[src*='_images/']").first.scroll_into_view_if_needed()
    shots.take(page, "scopes lesson plot")
    assert reader.left == [], f"requests that left the site: {reader.left}"


@pytest.mark.slow
def test_graded_set_page_is_the_learners_version(
    reader: Reader, shots: Screenshots, site: SiteResult, paths: CoursePaths
) -> None:
    page = reader.open("notebooks/exercises/ps07_scopes.html")
    shots.take(page, "graded set")
    text = page_text(page.content())
    assert "raise NotImplementedError()" in text
    instructor = nbformat.read(paths.source / "ps07_scopes" / "ps07_scopes.ipynb", as_version=4)
    assert leaks(text, instructor) == []
    source = (site.out / "_sources" / "notebooks" / "exercises" / "ps07_scopes.ipynb").read_text()
    assert leaks(source, instructor) == [], "the downloadable notebook shows hidden lines"
    assert "advpy check notebooks/exercises/ps07_scopes.ipynb" in page.inner_text("article")
    assert reader.left == [], f"requests that left the site: {reader.left}"


@pytest.mark.slow
def test_math_is_typeset_by_the_sites_own_mathjax(reader: Reader, shots: Screenshots) -> None:
    page = reader.open("math.html")
    page.wait_for_selector(".MathJax_Display, .MathJax", timeout=15_000)
    shots.take(page, "math")
    scripts = page.eval_on_selector_all("script[src]", "s => s.map(e => e.src)")
    assert any("_static/mathjax/MathJax.js" in s for s in scripts), scripts
    assert reader.left == [], f"requests that left the site: {reader.left}"
    assert reader.broken() == [], f"the site's own files that failed: {reader.broken()}"


@pytest.mark.slow
def test_search_finds_the_lesson(reader: Reader, shots: Screenshots) -> None:
    page = reader.open("search.html?q=nonlocal")
    page.wait_for_selector("#search-results ul.search li", timeout=15_000)
    found = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    shots.take(page, "search")
    assert any("07_scopes" in href for href in found), found
    assert reader.left == [], f"requests that left the site: {reader.left}"
    assert reader.errors == [], f"scripts failed on the site: {reader.errors}"
    assert reader.broken() == [], f"the site's own files that failed: {reader.broken()}"
