"""The two ways to set up name the same dependencies at the same versions, and the commands
the README promises exist."""

from __future__ import annotations

import re
import tomllib

from advpy.course.paths import CoursePaths

# conda-forge spells a few packages differently from PyPI.
CONDA_NAMES = {"memory_profiler": "memory-profiler", "redis-py": "redis"}


def _normalise(name: str) -> str:
    name = CONDA_NAMES.get(name, name)
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins(paths: CoursePaths) -> dict[str, str]:
    project = tomllib.loads((paths.root / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["dev"]
    pins = {}
    for requirement in requirements:
        name, version = requirement.split("==")
        pins[_normalise(name)] = version
    return pins


def conda_pins(paths: CoursePaths) -> dict[str, str]:
    pins = {}
    for line in (paths.root / "environment.yml").read_text().splitlines():
        # conda's `- name=version`, or pip's `- name==version` for what conda-forge lacks
        match = re.match(r"^\s+- ([A-Za-z0-9_.-]+)==?([0-9][^\s#]*)", line)
        if match and match.group(1) != "python":
            pins[_normalise(match.group(1))] = match.group(2)
    return pins


def test_environment_yml_pins_what_pyproject_pins(paths: CoursePaths) -> None:
    assert conda_pins(paths) == pyproject_pins(paths)


def test_environment_yml_brings_graphviz_and_the_package(paths: CoursePaths) -> None:
    text = (paths.root / "environment.yml").read_text()
    assert re.search(r"^\s+- graphviz\b", text, re.M)
    assert "- -e ." in text


def test_every_dependency_is_pinned_in_the_constraints(paths: CoursePaths) -> None:
    constraints = {}
    for line in (paths.root / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            constraints[_normalise(name)] = version.strip()
    for name, version in pyproject_pins(paths).items():
        assert constraints.get(name) == version, f"{name}: constraints.txt disagrees"


def test_readme_gives_the_two_commands_and_make_has_them(paths: CoursePaths) -> None:
    readme = (paths.root / "README.md").read_text()
    makefile = (paths.root / "Makefile").read_text()
    for target in ("lab", "test"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.M)
    assert "make test" in (paths.root / ".ci" / "run").read_text()
