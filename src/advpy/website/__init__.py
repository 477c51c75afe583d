"""The course as a static website (``advpy site``, ``make site``): every lesson executed, the
graded sets in their learner versions, built by Sphinx with myst-nb and the book theme, and
loading nothing from outside itself. Sphinx's settings are in ``site/conf.py``."""
