"""Set-up on a fresh machine: the system packages and the Python version, checked before the venv.

``scripts/system-packages.txt`` is the one list of system packages; ``scripts/system_deps.py``
checks and installs them, and the Makefile runs it first. These tests run that script and
``make`` with the system packages' commands hidden from PATH, and with stand-ins for apt-get,
sudo and an old Python, so they pass the same on machines that have the packages and on those
that do not, and install nothing.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from advpy import doctor

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system_deps.py"
#: The interpreter behind this venv: a stand-in for the system's python3, outside the venv.
BASE_PYTHON = os.path.realpath(sys.executable)
#: What the Makefile's first step uses; the system packages' commands, apt-get, sudo and brew
#: are left out on purpose.
VISIBLE_COMMANDS = ("make", "sh", "env")
#: What ``make test``'s first step reads from the course.
MAKE_INPUTS = ("Makefile", "pyproject.toml", "constraints.txt")

FAKE_APT_GET = """#!{python}
# Stands in for apt-get: records each call, then behaves as the test asks. "installs" makes a
# stand-in for the command of each package it is asked for (FAKE_APT_PROVIDES: "deb:command ...").
import os, sys
from pathlib import Path
here = Path(sys.argv[0]).parent
with open(os.environ["FAKE_APT_LOG"], "a") as log:
    log.write(os.environ.get("DEBIAN_FRONTEND", "-") + " " + " ".join(sys.argv[1:]) + "\\n")
behaviour = os.environ["FAKE_APT_BEHAVIOUR"]
if "install" in sys.argv and behaviour == "fails":
    sys.exit(100)
provides = dict(pair.split(":") for pair in os.environ["FAKE_APT_PROVIDES"].split())
if "install" in sys.argv and behaviour == "installs":
    for package in sys.argv:
        if package in provides:
            (here / provides[package]).write_text("#!/bin/sh\\n")
            (here / provides[package]).chmod(0o755)
"""

FAKE_SUDO = """#!{python}
# Stands in for passwordless sudo: runs the command it is given.
import os, sys
args = [a for a in sys.argv[1:] if a != "-n"]
if args == ["true"]:
    sys.exit(0)
os.execvp(args[0], args)
"""

FAKE_OLD_PYTHON = """#!{python}
# Stands in for a Python 3.11.2: the version check is told that version, the rest runs as usual.
import os, sys
args = sys.argv[1:]
if args and args[-1] == "--python-version":
    args.append("3.11.2")
os.execv({python!r}, [{python!r}, *args])
"""


def system_deps() -> ModuleType:
    return doctor.system_deps()


def command_folder(tmp_path: Path) -> Path:
    """A folder to be the whole PATH: python3 and the few commands make needs, nothing else."""
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "python3").symlink_to(BASE_PYTHON)
    for command in VISIBLE_COMMANDS:
        found = shutil.which(command)
        assert found, f"{command} is needed to run these tests"
        (folder / command).symlink_to(found)
    return folder


def write_script(path: Path, template: str) -> Path:
    path.write_text(template.format(python=BASE_PYTHON))
    path.chmod(0o755)
    return path


def environment(path: Path, **extra: str) -> dict[str, str]:
    """This environment with PATH replaced, and nothing inherited from an outer make."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAKE", "MFLAGS")) and key != "ADVPY_SYSTEM_INSTALL"
    }
    env["PATH"] = str(path)
    env["PIP_NO_INDEX"] = "1"  # if pip ever ran here, it would fail at once, not download
    env.update(extra)
    return env


def scratch_course(tmp_path: Path) -> Path:
    """A copy of what the Makefile's set-up reads (uncommitted changes included)."""
    course = tmp_path / "course"
    course.mkdir()
    for name in MAKE_INPUTS:
        shutil.copy2(ROOT / name, course / name)
    shutil.copytree(ROOT / "scripts", course / "scripts", ignore=shutil.ignore_patterns("__py*"))
    return course


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def found_by_path(package) -> bool:
    """Whether ``package`` is found with every command hidden: by a file one of its absolute
    alternatives names (wildcards allowed)."""
    return any(
        os.path.isabs(alternative) and any(os.path.isfile(f) for f in glob.glob(alternative))
        for alternative in package.alternatives
    )


def expected_missing(goal: str) -> list:
    """What ``goal`` lacks with every command hidden: all commands, and any absent file."""
    return [p for p in system_deps().read_list() if p.needed_for(goal) and not found_by_path(p)]


def command_of(package) -> str:
    """The command that tells ``package`` is there (its first alternative that is one)."""
    return next(a for a in package.alternatives if not os.path.isabs(a))


def lab_packages() -> list:
    return [p for p in system_deps().read_list() if p.needed_for("lab")]


def stand_in_for_lab_commands(folder: Path) -> None:
    """Stand-ins for every command ``make lab`` needs, so its system check passes. (A package
    told only by a file's absolute path, such as Debian's python3.11, is this machine's own.)"""
    for package in lab_packages():
        if all(os.path.isabs(a) for a in package.alternatives):
            continue
        write_script(folder / command_of(package), "#!/bin/sh\n")


# ---------------------------------------------------------------------------------------------
# make stops before the venv, with one message naming what is missing.


@pytest.mark.parametrize("goal", ["test", "lab"])
def test_make_stops_before_the_venv_and_names_what_to_install(tmp_path: Path, goal: str) -> None:
    course = scratch_course(tmp_path)
    env = environment(command_folder(tmp_path), ADVPY_SYSTEM_INSTALL="never")
    done = run(["make", goal], course, env)
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert not (course / ".venv").exists(), f"the venv was created:\n{output}"
    assert "-m pytest" not in output and "advpy lab" not in output, output
    assert output.count("needs system packages") == 1, output
    missing = expected_missing(goal)
    apt_line = re.search(r"apt-get install (.+)", output)
    assert apt_line, output
    assert apt_line.group(1).split() == list(dict.fromkeys(p.debian for p in missing))
    formulae = [p.brew for p in missing if p.brew != "-"]
    assert f"brew install {' '.join(formulae)}" in output
    for package in system_deps().read_list():
        named = re.search(rf"^  {re.escape(package.name)} ", output, re.M) is not None
        assert named == (package in missing), f"{package.name}:\n{output}"
    assert "ADVPY_SYSTEM_INSTALL=never" in output


def test_nothing_missing_is_silent_and_quick(tmp_path: Path) -> None:
    folder = command_folder(tmp_path)
    stand_in_for_lab_commands(folder)
    env = environment(folder, ADVPY_SYSTEM_INSTALL="never")
    started = time.perf_counter()
    done = run(["python3", str(SCRIPT), "--for", "lab"], ROOT, env)
    took = time.perf_counter() - started
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert took < 2, f"the check every make runs took {took:.2f} s"  # about 0.05 s in practice


# ---------------------------------------------------------------------------------------------
# Installing: apt-get as root, or through passwordless sudo, then a second look.


@pytest.mark.skipif(sys.platform != "linux", reason="the apt-get path is Linux's")
@pytest.mark.parametrize(
    ("behaviour", "status", "says"),
    [
        ("installs", 0, "Installed"),
        ("does-nothing", 1, "still not found"),
        ("fails", 1, "failed with exit status 100"),
    ],
)
def test_installs_with_apt_get_then_looks_again(
    tmp_path: Path, behaviour: str, status: int, says: str
) -> None:
    folder = command_folder(tmp_path)
    write_script(folder / "apt-get", FAKE_APT_GET)
    write_script(folder / "sudo", FAKE_SUDO)  # used only when the tests do not run as root
    log = tmp_path / "apt-get.log"
    provides = " ".join(
        f"{p.debian}:{command_of(p)}"
        for p in lab_packages()
        if not all(os.path.isabs(a) for a in p.alternatives)
    )
    env = environment(
        folder, FAKE_APT_LOG=str(log), FAKE_APT_BEHAVIOUR=behaviour, FAKE_APT_PROVIDES=provides
    )
    done = run(["python3", str(SCRIPT), "--for", "lab"], ROOT, env)
    assert done.returncode == status, done.stderr
    assert says in done.stderr
    debs = " ".join(dict.fromkeys(p.debian for p in expected_missing("lab")))
    assert debs.startswith("graphviz")
    calls = log.read_text().splitlines()
    assert calls[0] == "noninteractive update -qq"
    assert calls[1] == f"noninteractive install -y -qq --no-install-recommends {debs}"
    if status:
        assert f"apt-get install {debs}" in done.stderr and "\n  dot " in done.stderr


# ---------------------------------------------------------------------------------------------
# The Python version: 3.11.5 or newer, checked before the venv is made.


@pytest.mark.parametrize(
    ("version", "accepted"),
    [("3.11.2", False), ("3.11.4", False), ("3.10.14", False), ("3.11.5", True), ("3.13.0", True)],
)
def test_python_version_check(version: str, accepted: bool) -> None:
    done = run([sys.executable, str(SCRIPT), "--python-version", version], ROOT, dict(os.environ))
    assert (done.returncode == 0) == accepted, done.stderr
    if not accepted:
        assert f"Python {version} " in done.stderr and "3.11.5 or newer" in done.stderr
        assert "make PYTHON=python3.12" in done.stderr and "brew install python@3.12" in done.stderr


def test_the_running_python_passes_the_check() -> None:
    done = run([sys.executable, str(SCRIPT), "--python-version"], ROOT, dict(os.environ))
    assert done.returncode == 0, done.stderr


def test_make_setup_refuses_an_old_python_before_making_the_venv(tmp_path: Path) -> None:
    course = scratch_course(tmp_path)
    folder = command_folder(tmp_path)
    stand_in_for_lab_commands(folder)  # make setup's system check passes
    old_python = write_script(folder / "python-old", FAKE_OLD_PYTHON)
    env = environment(folder, ADVPY_SYSTEM_INSTALL="never")
    done = run(["make", "setup", f"PYTHON={old_python}"], course, env)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "Python 3.11.2 " in done.stderr and "too old" in done.stderr
    assert not (course / ".venv").exists()


# ---------------------------------------------------------------------------------------------
# The list itself, and everything that reads it.


def test_every_entry_of_the_list_has_every_column() -> None:
    packages = system_deps().read_list()
    assert packages
    for package in packages:
        assert all(getattr(package, column) for column in system_deps().COLUMNS), package
        for alternative in package.alternatives:
            assert os.path.isabs(alternative) or "/" not in alternative, package
    names = [p.name for p in packages]
    assert len(set(names)) == len(names)
    needs = {p.debian: p.needs for p in packages}
    assert needs["graphviz"] == "lab"  # the lessons draw objgraph's pictures
    # the servers of advpy.services: Redis for lesson 11 on, PostgreSQL and nginx for lesson 13 on
    assert needs["redis-server"] == "lab"
    assert {needs["nginx"], needs["postgresql"]} == {"lab"}  # lessons 12, 13 and 16 run them
    assert {needs["bubblewrap"], needs["chromium"], needs["fonts-dejavu-core"]} == {"test"}


def test_a_malformed_line_is_refused_with_its_place(tmp_path: Path) -> None:
    broken = tmp_path / "system-packages.txt"
    broken.write_text("# comment\ndot dot graphviz graphviz lab\n")
    with pytest.raises(ValueError, match=r"system-packages\.txt:2: needs 6 columns"):
        system_deps().read_list(broken)


def test_detect_takes_alternatives_and_a_version_wildcard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    versioned = tmp_path / "lib" / "server" / "*" / "bin" / "server"
    listed = tmp_path / "system-packages.txt"
    listed.write_text(f"server server,{versioned} server-deb server-brew test a server\n")
    (package,) = system_deps().read_list(listed)
    assert package.alternatives == ["server", str(versioned)]
    assert not package.is_present()
    for version in ("9", "15"):
        found = tmp_path / "lib" / "server" / version / "bin" / "server"
        found.parent.mkdir(parents=True)
        found.write_text("")
    assert package.is_present() and package.found_at().endswith("/bin/server")
    (tmp_path / "bin").mkdir()
    write_script(tmp_path / "bin" / "server", "#!/bin/sh\n")
    assert package.found_at() == "server"  # a command on PATH comes first
    listed.write_text("server server,lib/server server-deb - test a server\n")
    with pytest.raises(ValueError, match="detect is command names or absolute paths"):
        system_deps().read_list(listed)


def test_doctor_reports_the_list_and_its_install_commands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # every command of the list is missing
    packages = system_deps().read_list()
    findings = {f.name: f for f in doctor.system_findings()}
    assert list(findings) == [p.name for p in packages]
    for package in packages:
        finding = findings[package.name]
        assert finding.required == (package.needs == "lab")
        if found_by_path(package):
            continue
        assert not finding.ok
        assert f"apt-get install {package.debian}" in finding.detail
        assert (f"brew install {package.brew}" in finding.detail) == (package.brew != "-")


def test_ci_installs_nothing_of_its_own_and_the_readme_gives_the_minimum() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "apt-get" not in ci
    minimum = ".".join(map(str, system_deps().MINIMUM_PYTHON))
    assert f"Python {minimum}" in (ROOT / "README.md").read_text()
