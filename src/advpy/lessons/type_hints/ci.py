"""mypy in a project's workflow, as text to read: the settings, a pre-commit hook, a CI job.

The lesson prints these and checks that the TOML parses; it never installs or runs them.
Versions are pinned on purpose: a new mypy release finds new errors, and a check that changes
its verdict without a change to the code cannot be a gate.
"""

from __future__ import annotations

import tomllib
from typing import Any

#: mypy's settings in ``pyproject.toml``: strict for the package, eased for old modules.
PYPROJECT = """\
[tool.mypy]
python_version = "3.11"
files = ["src/shop"]
strict = true
warn_unreachable = true
# The package's third-party imports that ship no types:
[[tool.mypy.overrides]]
module = ["legacy_payments.*"]
ignore_missing_imports = true

# Old modules not annotated yet: checked, but not held to --strict until they are.
[[tool.mypy.overrides]]
module = ["shop.legacy.*"]
disallow_untyped_defs = false
disallow_incomplete_defs = false
"""

#: A pre-commit hook: mypy on the files being committed, in pre-commit's own environment.
PRE_COMMIT = """\
# .pre-commit-config.yaml
repos:
  - repo: https://github.com/pre-commit/mirrors-mypy
    rev: v2.4.0            # pin: the same mypy for everyone, upgraded on purpose
    hooks:
      - id: mypy
        args: [--config-file=pyproject.toml]
        # The hook runs in an environment of its own: list the packages whose types
        # the code needs, or their imports silently become Any.
        additional_dependencies: [pydantic==2.14.*, types-requests]
"""

#: A CI job: the whole package, every push and pull request, with mypy's cache kept.
GITHUB_ACTIONS = """\
# .github/workflows/types.yml
name: types
on: [push, pull_request]
jobs:
  mypy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install -e . -c constraints.txt   # the project's pinned versions, mypy included
      - uses: actions/cache@v4                     # mypy's cache: a warm run takes seconds
        with:
          path: .mypy_cache
          key: mypy-${{ hashFiles('constraints.txt') }}-${{ github.sha }}
          restore-keys: mypy-${{ hashFiles('constraints.txt') }}-
      - run: mypy                                  # settings and files from pyproject.toml
"""


def mypy_settings(text: str = PYPROJECT) -> dict[str, Any]:
    """The ``[tool.mypy]`` table of a ``pyproject.toml`` text (raises if the TOML is invalid)."""
    settings = tomllib.loads(text)["tool"]["mypy"]
    assert isinstance(settings, dict)
    return settings
