"""Sphinx settings of the course's website (``make site``; see ``advpy.website``).

The sources are staged by ``advpy site`` (lessons already executed, graded sets in their
learner versions), so nothing is executed here. Nothing on a page may load anything from
outside the site: no CDN for MathJax or the widgets' JavaScript, no web fonts.
"""

from advpy.website.sphinx_ext import MATHJAX_PATH

project = "advpy"
author = "the advpy authors"
html_title = "advpy"
copyright = "the advpy authors, MIT licence"

extensions = ["myst_nb", "advpy.website.sphinx_ext"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]

# Notebooks arrive executed (lessons) or deliberately without outputs (graded sets).
nb_execution_mode = "off"
# Widgets are replaced by still snapshots when the sources are staged; never load the
# ipywidgets JavaScript (myst-nb's default takes it from a CDN).
nb_ipywidgets_js: dict[str, dict[str, str]] = {}
nb_merge_streams = True
# Outputs in Markdown (the start page's course map) are tables: render them as MyST does.
nb_render_markdown_format = "myst"

myst_enable_extensions = ["dollarmath", "amsmath"]
# The lessons link to "Try it" answers by GitHub's heading anchors.
myst_heading_anchors = 3
myst_update_mathjax = False

# MathJax 2 from the site's own _static/ (copied there by advpy.website.sphinx_ext).
mathjax_path = MATHJAX_PATH
# The package ships the STIX-Web fonts only (as Jupyter's classic notebook uses them).
mathjax2_config = {
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
    "HTML-CSS": {
        "availableFonts": [],
        "preferredFont": None,
        "webFont": "STIX-Web",
        "imageFont": None,
    },
    "showMathMenu": False,
}

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["advpy.css"]
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "launch_buttons": {},
    "navigation_with_keys": False,
}
html_last_updated_fmt = None
