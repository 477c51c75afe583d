"""The website's Sphinx extension (``site/conf.py`` loads it).

- Puts a note at the top of each lesson, graded set and answers page that names its notebook
  and says how to open it in JupyterLab from a clone of the course.
- Copies MathJax from the ``jupyter-server-mathjax`` package into the site's ``_static/``, so
  that math is typeset by the site's own copy and never by a CDN.
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from typing import Any

from advpy.course.paths import course_paths
from advpy.website.pages import Page, banner_html, sections

#: Where ``mathjax_path`` points, relative to the site's ``_static/``.
MATHJAX_FOLDER = "mathjax"
MATHJAX_PATH = f"{MATHJAX_FOLDER}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
_FIRST_HEADING_END = re.compile(r"</h1>")


def mathjax_source() -> Path:
    """The MathJax 2 files that the ``jupyter-server-mathjax`` package ships."""
    import jupyter_server_mathjax

    return Path(jupyter_server_mathjax.__file__).parent / "static"


@functools.cache
def _pages_by_docname() -> dict[str, Page]:
    return {page.docname: page for s in sections(course_paths()) for page in s.pages}


def add_banner(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put the page's note under its title (``html-page-context``)."""
    page = _pages_by_docname().get(pagename)
    body = context.get("body")
    if page is None or page.kind == "start" or not isinstance(body, str):
        return
    banner = banner_html(page)
    found = _FIRST_HEADING_END.search(body)
    at = found.end() if found else 0
    context["body"] = body[:at] + banner + body[at:]


def copy_mathjax(app: Any, exception: Exception | None) -> None:
    """Copy MathJax into the built site's ``_static/`` (``build-finished``)."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / MATHJAX_FOLDER
    shutil.copytree(mathjax_source(), target, dirs_exist_ok=True)


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", add_banner)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
