"""How many cores this process may really use: the one place the course counts them.

``os.cpu_count()`` counts the machine's cores. A process may be pinned to fewer (its affinity
mask), and a container may get only a share of time on them (a control group's CPU quota), as
Docker, Kubernetes and a JupyterHub's single-user servers usually arrange. Lessons size their
pools and label their plots with :func:`usable_cores`; ``advpy grade`` starts one worker per
usable core; ``advpy doctor`` reports it. Standard library only.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

#: Where Linux shows control groups (cgroups), which can cap a container's share of the CPUs.
CGROUP_ROOT = Path("/sys/fs/cgroup")
#: The file naming this process's control groups.
PROC_CGROUP = Path("/proc/self/cgroup")


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None


def _with_ancestors(root: Path, group: str) -> list[Path]:
    """``root/a/b``, ``root/a`` and ``root`` for the group ``/a/b``: a limit set on any of
    them applies to the process."""
    parts = [part for part in group.strip("/").split("/") if part and part != ".."]
    return [root.joinpath(*parts[:depth]) for depth in range(len(parts), -1, -1)]


def _quota_v2(folder: Path) -> float | None:
    """CPUs allowed by a cgroup v2 ``cpu.max`` file ("QUOTA PERIOD", or "max PERIOD")."""
    text = _read(folder / "cpu.max")
    if not text:
        return None
    fields = text.split()
    if len(fields) != 2 or fields[0] == "max":
        return None
    try:
        quota, period = int(fields[0]), int(fields[1])
    except ValueError:
        return None
    return quota / period if quota > 0 and period > 0 else None


def _quota_v1(folder: Path) -> float | None:
    """CPUs allowed by cgroup v1's ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us`` (-1: none)."""
    quota, period = _read(folder / "cpu.cfs_quota_us"), _read(folder / "cpu.cfs_period_us")
    try:
        q, p = int(quota or "-1"), int(period or "0")
    except ValueError:
        return None
    return q / p if q > 0 and p > 0 else None


def cgroup_cpu_limit(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> float | None:
    """How many CPUs the control group lets this process use (its CPU quota divided by its
    period), or ``None`` when no quota is set or the system has no cgroups.

    Containers (Docker, Kubernetes, a JupyterHub's single-user servers) usually cap CPU this
    way: the process still *sees* every core of the host, but gets only the quota's share of
    time on them. Both cgroup versions are read: v2's ``cpu.max`` and v1's
    ``cpu.cfs_quota_us``; the lowest limit along the group and its ancestors wins.
    """
    groups: dict[str, str] = {}
    for line in (_read(proc_cgroup) or "").splitlines():
        fields = line.split(":", 2)
        if len(fields) == 3:
            for controller in fields[1].split(",") if fields[1] else [""]:
                groups[controller] = fields[2]
    limits: list[float] = []
    v2_group = groups.get("", "/")
    for folder in _with_ancestors(root, v2_group):
        limit = _quota_v2(folder)
        if limit is not None:
            limits.append(limit)
    v1_group = groups.get("cpu", "/")
    for mount in ("cpu", "cpu,cpuacct", "cpuacct,cpu"):
        for folder in _with_ancestors(root / mount, v1_group):
            limit = _quota_v1(folder)
            if limit is not None:
                limits.append(limit)
    return min(limits) if limits else None


def usable_cores(root: Path = CGROUP_ROOT, proc_cgroup: Path = PROC_CGROUP) -> int:
    """The number of cores this process may really use: the count to size pools by.

    ``os.cpu_count()`` counts the machine's cores, not the ones this process may run on. This
    asks ``os.process_cpu_count()`` (Python 3.13+), or else the CPU affinity mask
    (``os.sched_getaffinity``, Linux), then lowers the answer to the control group's CPU quota
    (rounded up) when a container sets one. Never less than 1.
    """
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        cores = counter()
    elif hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count()
    cores = cores or 1
    limit = cgroup_cpu_limit(root, proc_cgroup)
    if limit is not None:
        cores = min(cores, math.ceil(limit))
    return max(1, cores)


def machine_cores() -> int:
    """Every core the machine has, usable by this process or not (``os.cpu_count()``)."""
    return os.cpu_count() or 1
