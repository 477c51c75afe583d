"""A class on a real JupyterHub with nbgrader's exchange, driven over HTTP.

A trial hub (``advpy.hub``) runs on loopback with an instructor and two learners as real Unix
users. Everything goes through the hub's proxy: the learners log in on the hub's login page,
then, as the Assignments tab of their own server does, fetch ``ps31_two_sum``, save an answer
(one right, one wrong) and submit it; the instructor's commands (``nbgrader
release_assignment``, ``collect``, ``advpy grade``, ``release_feedback``) run in a kernel of the
instructor's own server. Each learner then fetches their feedback, and, as their Unix user,
can read neither the other's work nor the exchange's listings. After the trial no process,
user or folder of it is left.
"""

from __future__ import annotations

import copy
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from grading_helpers import PS31_RIGHT as RIGHT

from advpy.course.nbgrader_settings import COURSE_ID
from advpy.course.paths import CoursePaths
from advpy.hub import accounts
from advpy.hub import trial as trial_module
from advpy.hub.client import Hub, UserServer, login
from advpy.hub.trial import PROXY, HubError, HubTrial, requirements_problem

SET = "ps31_two_sum"
WRONG = "def find_pairs(transactions, target):\n    return []\n"
#: The instructor's steps, each run in a kernel on the instructor's server (in the course).
INSTRUCTOR = """
import json, subprocess
results = []
for command in {commands!r}:
    done = subprocess.run(command, cwd={course!r}, capture_output=True, text=True)
    results.append([command, done.returncode, done.stdout[-2000:], done.stderr[-2000:]])
print(json.dumps(results))
"""


def instructor_runs(server: UserServer, course: Path, *commands: list[str]) -> list[Any]:
    output = server.run(INSTRUCTOR.format(commands=list(commands), course=str(course)))
    results = json.loads(output.strip().splitlines()[-1])
    for command, status, out, err in results:
        assert status == 0, f"{command} failed ({status}):\n{out}\n{err}"
    return list(results)


def answered(notebook: dict[str, Any], code: str) -> dict[str, Any]:
    filled = copy.deepcopy(notebook)
    cells = [
        c
        for c in filled["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "find_pairs_answer"
    ]
    assert len(cells) == 1
    cells[0]["source"] = code
    return filled


def as_user(name: str, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["runuser", "-u", name, "--", *command],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_a_class_on_jupyterhub_releases_collects_grades_and_returns_feedback(
    paths: CoursePaths,
) -> None:
    assert requirements_problem() == "", requirements_problem()
    started = time.monotonic()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = time.monotonic() - started

    trial = HubTrial(paths, students=2)  # in the system's temporary folder: users reach it
    trial.start()
    phase("hub up")
    names = [u.name for u in trial.users]
    uids = [u.uid for u in trial.users]
    homes = [Path(u.home) for u in trial.users]
    folder = trial.folder
    hub = Hub(trial.url, trial.settings.api_token)
    servers: dict[str, UserServer] = {}
    try:
        for name in names:
            hub.start_server(name)
        right, wrong = trial.learners
        for learner in trial.learners:
            password = trial.settings.passwords[learner.name]
            assert login(trial.url, learner.name, password)
            assert not login(trial.url, learner.name, password + "x")
        for name in names:
            hub.wait_ready(name)
        servers.update({n: UserServer(trial.url, n, hub.user_token(n)) for n in names})
        phase("servers up, learners logged in")
        teacher = servers[trial.instructor.name]

        instructor_runs(
            teacher,
            trial.course,
            ["nbgrader", "generate_assignment", SET, "--force"],
            ["nbgrader", "release_assignment", SET],
        )
        phase("released")
        for learner, code in ((right, RIGHT), (wrong, WRONG)):
            server = servers[learner.name]
            listed = server.assignments(COURSE_ID)
            assert [(a["assignment_id"], a["status"]) for a in listed] == [(SET, "released")]
            server.assignment_action("fetch", COURSE_ID, SET)
            path = f"{SET}/{SET}.ipynb"
            blank = server.get_notebook(path)
            assert "BEGIN SOLUTION" not in json.dumps(blank)
            server.put_notebook(path, answered(blank, code))
            server.assignment_action("submit", COURSE_ID, SET)
        phase("fetched, answered, submitted")

        instructor_runs(
            teacher,
            trial.course,
            ["nbgrader", "collect", SET],
            ["advpy", "grade", SET, "--course", ".", "--jobs", "1"],
            ["nbgrader", "release_feedback", SET],  # the feedback advpy grade wrote
            ["nbgrader", "export"],
        )
        phase("collected, graded, feedback released")
        with open(trial.course / "grades.csv", newline="") as exported:
            scores = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(exported)}
        assert scores == {right.name: 10.0, wrong.name: 0.0}

        feedback = {}
        for learner in trial.learners:
            server = servers[learner.name]
            server.assignment_action("fetch_feedback", COURSE_ID, SET)
            mine = list((Path(learner.home) / SET / "feedback").glob(f"*/{SET}.html"))
            assert len(mine) == 1, f"{learner.name} should have one feedback file"
            feedback[learner.name] = mine[0]
        # advpy grade's feedback pages, as released by nbgrader.
        assert "Score: 10 / 10 points" in feedback[right.name].read_text()
        assert "Score: 0 / 10 points" in feedback[wrong.name].read_text()

        # Each learner, as their Unix user: nothing of the other's, no listing of the exchange.
        course_exchange = trial.exchange / COURSE_ID
        for me, other in ((right, wrong), (wrong, right)):
            own = as_user(me.name, "cat", str(feedback[me.name]))
            assert own.returncode == 0 and "Score:" in own.stdout
            for path in (feedback[other.name], Path(other.home) / SET / f"{SET}.ipynb"):
                denied = as_user(me.name, "cat", str(path))
                assert denied.returncode != 0 and "Permission denied" in denied.stderr
            for listing in (course_exchange / "inbound", course_exchange / "feedback"):
                denied = as_user(me.name, "ls", str(listing))
                assert denied.returncode != 0 and "Permission denied" in denied.stderr
        phase("feedback fetched, isolation checked")
    finally:
        for server in servers.values():
            server.close()
        hub.close()
        trial.stop()
    phase("stopped, users removed")
    took = time.monotonic() - started
    # Every process of the trial is a descendant waited for by its parent: the hub's children
    # (servers, kernels, nbgrader, advpy grade) count in the hub's, which counts in ours.
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(getattr(cpu_after, f) - getattr(cpu_before, f) for f in ("ru_utime", "ru_stime"))
    for name in names:
        assert not accounts.exists(name), f"user {name} left behind"
    assert [uid for uid in uids if accounts.processes_of(uid)] == []
    assert not folder.exists() and not any(home.exists() for home in homes)
    leftovers = subprocess.run(
        ["pgrep", "-f", str(folder)], capture_output=True, text=True, check=False
    ).stdout.split()
    assert leftovers == [], f"processes of the trial left running: {leftovers}"
    steps = ", ".join(f"{step} {seconds:.0f} s" for step, seconds in phases.items())
    load = os.getloadavg()[0]
    print(f"hub cycle: {took:.1f} s ({cpu:.0f} s CPU, load {load:.1f}); {steps}")


def test_the_trial_says_what_to_install_without_the_proxy(
    paths: CoursePaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_which = trial_module.shutil.which
    monkeypatch.setattr(
        trial_module.shutil,
        "which",
        lambda name, **kw: None if name == PROXY else real_which(name, **kw),
    )
    problem = requirements_problem()
    if os.geteuid() == 0:
        assert "npm install -g configurable-http-proxy" in problem
    else:
        assert "as root" in problem
    with pytest.raises(HubError, match="configurable-http-proxy|as root"):
        HubTrial(paths).start()


def test_the_trial_refuses_a_folder_its_users_cannot_reach(
    paths: CoursePaths, tmp_path: Path
) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    expected = "reachable by its users" if os.geteuid() == 0 else "as root"
    with pytest.raises(HubError, match=expected):
        HubTrial(paths, base=private).start()
    assert list(private.iterdir()) == []


def test_advpy_hub_refuses_a_class_without_learners() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "advpy.cli", "hub", "--students", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "--students must be at least 1" in done.stderr
