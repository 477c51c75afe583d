"""advpy.services.etcd_cluster starts a real three-member etcd cluster on loopback: it stores and
reads back over the v3 JSON gateway, agrees on one leader, elects another when the leader is
killed and keeps every acknowledged write, says why a bad start failed with its own log lines,
says what to install when etcd is missing, and stops with nothing left running."""

from __future__ import annotations

import psutil
import pytest

from advpy import doctor
from advpy.services import (
    LOOPBACK,
    EtcdCluster,
    EtcdError,
    ServiceError,
    ServiceNotInstalled,
    etcd_cluster,
    etcd_server,
    lifecycle,
    programs,
    running_services,
    status,
)


def test_three_members_store_elect_and_fail_over_then_stop() -> None:
    with etcd_cluster(3) as cluster:
        assert isinstance(cluster, EtcdCluster) and len(cluster.members) == 3
        assert cluster.host == LOOPBACK and cluster.url == f"http://{LOOPBACK}:{cluster.port}"
        revision = cluster.client.put("greeting", "hello")
        assert revision >= 2
        assert cluster.client.get("greeting") == "hello"
        assert cluster.client.get("nothing") is None
        leader = cluster.leader()
        assert set(cluster.client.members().values()) == {"n1", "n2", "n3"}
        term = cluster.client.status()["term"]
        pids = [m.pid for m in cluster.members]
        leader.kill()
        assert not leader.running and cluster.running, "one member down, the cluster runs on"
        survivors = [m.url for m in cluster.members if m is not leader]
        client = cluster.connect(survivors)
        for number in range(5):  # a new leader answers writes: retry while it is elected
            for _ in range(200):
                try:
                    client.put(f"after/{number}", str(number))
                    break
                except EtcdError:
                    continue
        new_leader = cluster.leader()
        assert new_leader is not leader
        assert client.status()["term"] > term
        assert client.get("greeting") == "hello", "an acknowledged write survives the leader"
        assert client.get_prefix("after/") == {f"after/{n}": str(n) for n in range(5)}
        client.close()
        assert "n1: " in cluster.log_text() and cluster in running_services()
    assert not cluster.running
    assert not cluster.data_dir.exists(), "the cluster's folder was not removed"
    assert cluster not in running_services()
    for member in cluster.members:
        assert not lifecycle.port_is_open(member.client_port)
    for pid in pids:
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_single_member_is_a_cluster_of_one() -> None:
    with etcd_server() as single:
        assert len(single.members) == 1
        single.client.put("k", "v")
        assert single.client.get_prefix("k") == {"k": "v"}
        assert single.leader() is single.members[0]


def test_a_bad_option_fails_with_the_members_log_lines() -> None:
    with pytest.raises(ServiceError) as raised:
        etcd_cluster(1, options=["--snapshot-count", "many"])
    message = str(raised.value)
    assert "exited with status" in message
    assert "snapshot-count" in message  # etcd's own complaint, from its log
    with pytest.raises(ValueError, match="at least one member"):
        etcd_cluster(0)


def test_etcd_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(programs, "candidate_dirs", lambda program: [])
    with pytest.raises(ServiceNotInstalled) as raised:
        etcd_cluster()
    message = str(raised.value)
    assert "etcd is not installed" in message
    assert "apt-get install etcd-server" in message and "brew install etcd" in message


def test_etcd_is_in_the_status_and_the_system_packages_list() -> None:
    found = {item.name: item for item in status()}
    assert found["etcd"].detail.startswith("ready: " if found["etcd"].ready else "missing: ")
    listed = {p.debian: p for p in doctor.system_deps().read_list()}
    assert listed["etcd-server"].needs == "lab"
    assert listed["etcd-server"].brew == "etcd"
