"""advpy.services.containers: a real podman with a private store. An engine builds an image
from a Containerfile, runs containers with no network of their own, refuses published ports,
names the package to install when podman is missing, and leaves no container, image or store
behind when it closes."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from advpy.services import ContainerEngine, ServiceNotInstalled, container_engine
from advpy.services import containers as containers_module

CONTAINERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh", "-c", "echo hello from $(id -u)"]
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContainerEngine]:
    context = tmp_path_factory.mktemp("context")
    shutil.copy2(str(shutil.which("busybox")), context / "busybox")
    (context / "Containerfile").write_text(CONTAINERFILE)
    with container_engine() as started:
        started.build(context, "localhost/test/busybox:1")
        yield started


def test_an_image_is_built_with_its_layers(engine: ContainerEngine) -> None:
    assert "localhost/test/busybox:1" in engine.images()
    layers = engine.layers("localhost/test/busybox:1")
    sizes = [layer.size for layer in layers]
    assert sizes[0] == 0  # CMD changes only the configuration
    assert max(sizes) > 500_000  # the COPY of busybox
    assert engine.image_size("localhost/test/busybox:1") >= sum(sizes)


def test_a_container_runs_to_its_end_and_is_removed(engine: ContainerEngine) -> None:
    result = engine.run("localhost/test/busybox:1")
    assert (result.returncode, result.stdout, result.oom_killed) == (0, "hello from 0\n", False)
    failed = engine.run("localhost/test/busybox:1", ["sh", "-c", "echo oops >&2; exit 3"])
    assert (failed.returncode, failed.stderr) == (3, "oops\n")
    assert engine.containers() == []


def test_a_container_sees_no_network_unless_it_uses_the_hosts(engine: ContainerEngine) -> None:
    links = engine.run("localhost/test/busybox:1", ["ip", "-o", "link"])
    assert [line.split(":")[1].strip() for line in links.stdout.splitlines()] == ["lo"]
    with pytest.raises(ValueError, match="bridge and iptables"):
        engine.run("localhost/test/busybox:1", network="bridge")


def test_a_detached_container_stops_on_sigterm(engine: ContainerEngine) -> None:
    engine.start(
        "localhost/test/busybox:1",
        ["sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.1; done"],
        name="sleeper",
    )
    assert engine.containers() == ["sleeper"]
    assert engine.stop("sleeper", timeout=5) == 0
    assert engine.containers() == []


def test_missing_podman_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(containers_module.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(ServiceNotInstalled, match=r"apt-get install podman runc"):
        container_engine()


def test_closing_removes_containers_images_and_the_store() -> None:
    engine = container_engine()
    store = engine.store
    engine.podman_run("images")
    engine.close()
    assert not store.exists()
    assert engine.closed
    with pytest.raises(Exception, match="closed"):
        engine.images()
    left = subprocess.run(["runc", "list", "-q"], capture_output=True, text=True, check=False)
    assert store.name not in left.stdout
    assert not Path(store).exists()


def test_a_long_temporary_folder_gets_a_short_runroot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_folder = tmp_path / ("x" * 60)
    long_folder.mkdir()
    monkeypatch.setattr(containers_module.tempfile, "tempdir", str(long_folder))
    engine = container_engine()
    try:
        assert engine.store.parent == long_folder
        assert len(str(engine.runroot)) <= containers_module.RUNROOT_LIMIT
        assert engine.images() == []
    finally:
        engine.close()
    assert not engine.runroot.exists() and not engine.store.exists()
