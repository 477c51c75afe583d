"""Lesson 18 (containers and deployment) runs top to bottom with a real podman, runc and nginx,
in fast mode, and prints what its prose promises: three builds whose sizes order as the prose
says, a deletion in a later layer that frees nothing, a non-root image without a shell, the
kernel's OOM kill at the memory limit, rolling restarts behind nginx where only the abrupt
shutdown drops requests and only the graceful one exits 0, manifests that pass the Kubernetes
schema (and the errors it finds and misses), a workflow checked offline, and no container,
store, link or firewall rule left behind.

The helpers are tested directly too, and the graded set's Containerfile rules are shown to be
the ones podman follows: the reference answer is built and run, the correct corpus answers
describe the same image, and the wrong ones build an image too big or one that cannot start.
(podman cannot run inside ``advpy grade``'s sandbox, so the set's tests read the text.)"""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import jinja2
import matplotlib
import pytest
import yaml
from test_notebooks import printed, run_lesson

from advpy.checks import containerfile_stages
from advpy.course.masters import read_master
from advpy.lessons.deployment import builds, host, manifests, runtime
from advpy.lessons.deployment.plots import plot_image_sizes, plot_rollouts
from advpy.services import ContainerEngine, container_engine
from advpy.services.lifecycle import LOOPBACK, free_port

matplotlib.use("Agg")

NAME = "18_deployment"
ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "ps18_deployment"


# --- the lesson, fast mode ---------------------------------------------------------------------


def _sizes(out: str) -> dict[str, float]:
    found = re.findall(r"^(naive|slim|multi-stage) +([\d.]+) MB  built in", out, flags=re.M)
    return {kind: float(size) for kind, size in found}


@pytest.mark.slow
def test_lesson_builds_three_images_whose_sizes_order_as_promised() -> None:
    out = printed(run_lesson(NAME))
    assert re.search(r"localhost/advpy/python:3\.11 +[\d.]+ MB  made in", out)
    sizes = _sizes(out)
    assert set(sizes) == {"naive", "slim", "multi-stage"}
    assert sizes["multi-stage"] < sizes["slim"] < sizes["naive"]
    assert sizes["multi-stage"] < sizes["naive"] / 3
    # the deletion in a later layer frees nothing: its layer is tiny, the cache stays in COPY
    layers = re.findall(r"^ +([\d.]+) MB  (.+)$", out, flags=re.M)
    named = {text.strip(): float(mb) for mb, text in layers}
    assert named["RUN rm -rf /app/build-cache"] < 0.1
    assert named["COPY …"] >= 4.0  # the 4 MB build cache of fast mode, still there


@pytest.mark.slow
def test_lesson_shows_a_non_root_image_without_a_shell_and_the_oom_kill() -> None:
    out = printed(run_lesson(NAME))
    assert "naive: ['Containerfile', 'app.py', 'tests', '0']" in out
    assert "multi-stage user: 10001  entrypoint: ['/usr/bin/python3', '/app/app.py']" in out
    assert "exit status: 1 | ValueError: invalid literal for int() with base 10: 'x'" in out
    match = re.search(r"limit 48 MB; last reported (\d+) MB; exit (\d+)", out)
    assert match is not None
    assert 8 <= int(match[1]) < 48
    assert match[2] == "137"
    kernel = re.search(r"^kernel: (.*)$", out, flags=re.M)
    assert kernel is not None
    readable = subprocess.run(["dmesg"], capture_output=True, check=False).returncode == 0
    if readable:
        assert "Memory cgroup out of memory: Killed process" in kernel[1]


@pytest.mark.slow
def test_lesson_counts_requests_dropped_in_each_rolling_restart() -> None:
    out = printed(run_lesson(NAME))
    rows = re.findall(
        r"^(abrupt|ignored|graceful) +sent +(\d+) +dropped +(\d+) +exits \[([\d, ]+)\]",
        out,
        flags=re.M,
    )
    found = {mode: (int(sent), int(dropped), codes) for mode, sent, dropped, codes in rows}
    assert set(found) == {"abrupt", "ignored", "graceful"}
    assert all(sent > 20 for sent, _, _ in found.values())
    assert found["abrupt"][1] >= 1 and found["abrupt"][2] == "143, 143"
    assert found["ignored"][2] == "137, 137"
    assert found["graceful"][1:] == (0, "0, 0")


@pytest.mark.slow
def test_lesson_validates_manifests_and_workflow_and_leaves_nothing() -> None:
    out = printed(run_lesson(NAME))
    assert "Deployment valid\nService valid\n" in out
    assert "replicas = 'three': [\"spec.replicas: 'three' is not of type 'integer'" in out
    assert "resources.limits.memory = 'lots': valid" in out
    assert "True | ok -- validation done" in out
    assert "False | $.jobs.test: 'runs-on' is a required property" in out
    assert "store removed: True | work folder removed: True" in out
    assert "new links or firewall rules: {'links': [], 'rules': []}" in out


# --- the helpers -------------------------------------------------------------------------------


def _serve_app_on_host(mode: str) -> tuple[subprocess.Popen[str], int]:
    port = free_port()
    command = [sys.executable, str(builds.FILES / "app.py"), str(port), mode]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, env={"WORK_SECONDS": "0.5"}
    )
    assert process.stdout is not None
    assert "serving on" in process.stdout.readline()
    return process, port


@pytest.mark.parametrize(
    ("mode", "status", "answered"), [("graceful", 0, True), ("naive", -15, False)]
)
def test_the_app_finishes_requests_on_sigterm_only_when_graceful(
    mode: str, status: int, answered: bool
) -> None:
    process, port = _serve_app_on_host(mode)
    with socket.create_connection((LOOPBACK, port), timeout=10) as connection:
        # The request is sent (accepted by the kernel, or already in progress) before SIGTERM.
        connection.sendall(b"POST /work HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
        time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        reply = b""
        while chunk := connection.recv(4096):
            reply += chunk
    assert process.wait(timeout=10) == status
    assert process.stdout is not None
    process.stdout.close()
    assert reply.startswith(b"HTTP/1.0 200") is answered
    if mode == "graceful":
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://{LOOPBACK}:{port}/healthz", timeout=1)


def test_manifests_render_strictly_and_validate() -> None:
    values = yaml.safe_load(manifests.VALUES_YAML)
    documents = manifests.load_all(manifests.render(values))
    assert [d["kind"] for d in documents] == ["Deployment", "Service"]
    assert [manifests.validate(d) for d in documents] == [[], []]
    del values["uid"]
    with pytest.raises(jinja2.UndefinedError, match="uid"):
        manifests.render(values)
    changed = manifests.with_change(yaml.safe_load(manifests.VALUES_YAML), "image.tag", "2.0")
    assert changed["image"] == {"repository": "registry.example.com/shop-api", "tag": "2.0"}
    document = manifests.load_all(manifests.render(changed))[0]
    box = document["spec"]["template"]["spec"]["containers"][0]
    assert box["image"] == "registry.example.com/shop-api:2.0"
    assert manifests.validate({"apiVersion": "v9", "kind": "Nothing"}) == [
        "Kubernetes 1.30 has no schema for Nothing in v9"
    ]


def test_the_host_snapshot_reports_only_what_is_new() -> None:
    before = {"links": ["eth0", "lo"], "rules": ["-A INPUT -j ACCEPT"]}
    after = {"links": ["cni-podman0", "eth0", "lo"], "rules": ["-A INPUT -j ACCEPT"]}
    assert host.leftovers(before, after) == {"links": ["cni-podman0"], "rules": []}
    assert "lo" in host.network_links()


def test_the_plots_draw_one_bar_per_record() -> None:
    records = {
        "naive": builds.ImageRecord("naive", "t:1", 9_000_000, [("ADD x", 5_000_000)], 1.0),
        "multi-stage": builds.ImageRecord("m", "t:2", 2_000_000, [("COPY y", 2_000_000)], 1.0),
    }
    _, ax = plot_image_sizes(records)
    assert [label.get_text() for label in ax.get_yticklabels()] == ["naive", "multi-stage"]
    rollouts = [
        runtime.RolloutRecord("abrupt", {"ok": 9, "HTTP 502": 1}, [0.3], [143]),
        runtime.RolloutRecord("graceful", {"ok": 10}, [0.4], [0]),
    ]
    assert [r.dropped for r in rollouts] == [1, 0]
    _, ax = plot_rollouts(rollouts)
    assert [round(p.get_height()) for p in ax.patches] == [1, 0]
    with pytest.raises(ValueError, match="mode is one of"):
        runtime.rolling_restart(None, "image", "polite")  # type: ignore[arg-type]


# --- the graded set's Containerfile, built for real --------------------------------------------


def _answer_cell(grade_id: str) -> str:
    notebook = read_master(ROOT / "solutions" / "ps18_deployment.py")
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return str(cell.source)
    raise LookupError(grade_id)


def _containerfile_function(source: str):  # type: ignore[no-untyped-def]
    namespace = {"BUILD_BASE": builds.FULL_BASE, "json": json, "re": re}
    exec(source, namespace)  # the learner's cell runs after the setup cell, which these mimic
    return namespace["containerfile"]


@pytest.fixture(scope="module")
def graded_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContainerEngine]:
    with container_engine() as engine:
        rootfs = builds.write_base_rootfs(tmp_path_factory.mktemp("base"), slim=False)
        engine.import_rootfs(rootfs, builds.FULL_BASE, changes=builds.BASE_CHANGES)
        shutil.rmtree(rootfs)
        yield engine


def _build(engine: ContainerEngine, folder: Path, text: str, tag: str) -> None:
    folder.mkdir()
    shutil.copy2(builds.FILES / "app.py", folder / "app.py")
    (folder / "Containerfile").write_text(text)
    engine.build(folder, tag)


@pytest.mark.slow
def test_the_reference_containerfile_builds_a_small_non_root_image_that_serves(
    graded_engine: ContainerEngine, tmp_path: Path
) -> None:
    port = free_port()
    text = _containerfile_function(_answer_cell("containerfile_answer"))("app.py", port, 10001)
    _build(graded_engine, tmp_path / "reference", text, "localhost/ps18/reference:1")
    assert graded_engine.image_size("localhost/ps18/reference:1") < 25_000_000
    config = graded_engine.inspect_image("localhost/ps18/reference:1")["Config"]
    assert config["User"] == "10001"
    graded_engine.start("localhost/ps18/reference:1", name="reference", network="host")
    runtime._wait_healthy(port)
    assert httpx.post(f"http://{LOOPBACK}:{port}/work").status_code == 200
    assert graded_engine.stop("reference", timeout=5) == 0  # SIGTERM reached the app


def _final_stage(text: str) -> Counter[tuple[str, str]]:
    stages = containerfile_stages(text)
    return Counter([("FROM", stages[0]["base"]), *stages[0]["instructions"]]) + Counter(
        [("FROM", "scratch"), *stages[1]["instructions"]]
    )


def test_correct_corpus_answers_describe_the_reference_image() -> None:
    reference = _containerfile_function(_answer_cell("containerfile_answer"))
    folders = sorted(CORPUS.glob("correct_*/containerfile_answer.py"))
    assert len(folders) >= 3
    for path in folders:
        answer = _containerfile_function(path.read_text())
        for args in [("app.py", 8080, 10001), ("shop_api2.py", 9000, 2000)]:
            # the same instructions per stage (order and comments aside) build the same image
            assert _final_stage(answer(*args)) == _final_stage(reference(*args)), path.parent.name


@pytest.mark.slow
def test_wrong_containerfiles_build_too_big_or_cannot_start(
    graded_engine: ContainerEngine, tmp_path: Path
) -> None:
    single = _containerfile_function(
        (CORPUS / "wrong_cf_single_stage/containerfile_answer.py").read_text()
    )
    _build(
        graded_engine, tmp_path / "single", single("app.py", 8080, 10001), "localhost/ps18/single:1"
    )
    assert graded_engine.image_size("localhost/ps18/single:1") > 60_000_000  # the whole toolbox
    shell = _containerfile_function(
        (CORPUS / "wrong_cf_shell_form_entrypoint/containerfile_answer.py").read_text()
    )
    _build(
        graded_engine, tmp_path / "shell", shell("app.py", 8080, 10001), "localhost/ps18/shell:1"
    )
    result = graded_engine.run("localhost/ps18/shell:1", timeout=60)
    assert result.returncode != 0  # scratch has no /bin/sh to run the shell form
    assert "/bin/sh" in result.stderr
