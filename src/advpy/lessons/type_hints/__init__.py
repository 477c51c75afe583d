"""Helpers for lesson 06 (type hints and mypy).

- :mod:`~advpy.lessons.type_hints.overhead`: what annotations cost at run time, measured (the
  cost of executing a ``def``, and of calling the function), with and without
  ``from __future__ import annotations``;
- :mod:`~advpy.lessons.type_hints.checking`: mypy run in-process on code given as text, shown
  line by line; what ``--strict`` turns on; mypy's time with and without its cache;
- :mod:`~advpy.lessons.type_hints.ci`: a mypy configuration, a pre-commit hook and a CI job,
  as text to read (the lesson never runs them);
- :mod:`~advpy.lessons.type_hints.boundary`: refund requests in JSON checked at the boundary
  (by a hand-written ``TypeGuard``, and with pydantic), and what each check costs per payload;
- :mod:`~advpy.lessons.type_hints.plots`: the lesson's figures.
"""
