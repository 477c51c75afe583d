"""Grading on a Dask distributed cluster: ``advpy grade ASSIGNMENT --scheduler tcp://HOST:PORT``,
or ``--cluster local:N`` for a ``LocalCluster`` of N workers on this machine.

Each notebook is one task, sent through the cluster's ``concurrent.futures`` interface
(``Client.get_executor()``); everything else stays in the grader's process, on the machine
that runs the command: preparing the notebooks, scoring them, the gradebook, the journal, the
feedback and the report (:mod:`advpy.grade.runner`).

- **No shared file system.** A task carries the bytes of the submission's files (the notebook
  among them) and of the assignment's own files, read here as the local grader reads them
  (regular files only, :mod:`advpy.grade.files`; the assignment's are read once per run). Each
  task carries its own copy: data scattered to the cluster once would be lost with the worker
  that held it. On the worker, :func:`run_carried_job` writes them into a private
  folder and runs the notebook exactly as a local worker does (:func:`run_notebook_job`: a warm
  bubblewrap sandbox per worker thread, the same limits); the result, a
  :class:`~advpy.grade.executor.NotebookRun`, comes back as data. Task functions live in this
  package, as Dask workers cannot run code defined in a script.
- **Workers that die.** The scheduler gives the tasks of a worker that dies to another one (up
  to ``distributed.scheduler.allowed-failures`` times), and a task that raises is tried again
  (:data:`RETRIES`). A run the cluster loses anyway (the scheduler went away, every worker
  that tried it died) raises :class:`~advpy.grade.executor.RunLost`: its submission is left
  ungraded and running the command again grades it, as after a run that was killed.
- **Nothing left running.** The warm sandboxes in the workers are closed (``client.run``) at the
  start of a run (what a killed run left) and at its end.

One ``advpy grade`` at a time per cluster: a run closes every grading sandbox on its workers.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import socket
import tempfile
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from advpy.grade.executor import (
    MAX_FILES_BYTES,
    SCRATCH_PREFIX,
    NotebookJob,
    NotebookRun,
    RunLost,
    close_workers,
    run_notebook_job,
)
from advpy.grade.files import RefusedFile, read_regular

#: Times a task that raised is tried again (a worker that dies is not counted here).
RETRIES = 2
#: Seconds to wait for the scheduler to answer before giving up on it.
CONNECT_TIMEOUT = 20.0
#: What to install when Dask is missing.
INSTALL_HINT = (
    "grading on a cluster needs Dask distributed: install it with "
    "`.venv/bin/pip install -c constraints.txt dask distributed` (on the grading machine and "
    "on every worker), or grade on this machine without --scheduler/--cluster"
)

#: The files the task carries: (path relative to the notebook's folder, bytes).
Carried = tuple[tuple[str, bytes], ...]


class ClusterUnavailable(RuntimeError):
    """No cluster to grade on; the message says why and what to do."""


@dataclass(frozen=True)
class CarriedJob:
    """A notebook to run, with its files' bytes in place of their paths on the grader."""

    job: NotebookJob  # without files: those are in ``files``
    files: Carried


def parse_local_cluster(text: str) -> int:
    """The number of workers in ``--cluster local:N``; ValueError for anything else."""
    kind, _, count = text.partition(":")
    if kind != "local" or not count.isdigit() or not 1 <= int(count) <= 256:
        raise ValueError(f"{text!r}: expected local:N, N workers from 1 to 256 (e.g. local:2)")
    return int(count)


#: A scheduler's address as ``--scheduler`` takes it.
ADDRESS = re.compile(r"(tcp|tls)://(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})")


def check_scheduler(address: str) -> None:
    """Refuse at once an address that is not ``tcp://HOST:PORT`` (or ``tls://``), or where
    nothing listens: :class:`ClusterUnavailable` says which."""
    match = ADDRESS.fullmatch(address)
    if match is None or not 0 < int(match.group(3)) < 65536:
        raise ClusterUnavailable(
            f"{address!r} is not a Dask scheduler's address: expected tcp://HOST:PORT "
            "(as `dask scheduler` prints it, e.g. tcp://10.0.0.5:8786)"
        )
    host, port = match.group(2).strip("[]"), int(match.group(3))
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
    except OSError as error:
        raise ClusterUnavailable(
            f"no Dask scheduler answers at {address} ({error.strerror or error}); start one "
            "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or check the address"
        ) from None


def carry(files: tuple[tuple[str, str], ...], budget: int = MAX_FILES_BYTES) -> Carried:
    """The bytes of ``files`` (host path, relative path), regular files only, up to ``budget``
    bytes in all: what a local worker would have copied in (files refused or changed since the
    submission was read are left out, as there)."""
    carried = []
    total = 0
    for source, relative in files:
        try:
            data = read_regular(source, max(0, budget - total))
        except (RefusedFile, OSError):
            continue
        total += len(data)
        carried.append((relative, data))
    return tuple(carried)


def _safe_relative(relative: str) -> PurePosixPath | None:
    """``relative`` as a path inside a folder, or None if it would lead out of it."""
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or ".." in path.parts:
        return None
    return path


def run_carried_job(carried: CarriedJob, shared: Carried = ()) -> NotebookRun:
    """Run ``carried`` on this worker: write its files (then the assignment's ``shared`` ones,
    over any of the same name) into a private folder, run it as a local worker does, delete the
    folder. A folder that cannot be written raises (the task is then tried again)."""
    folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-files-"))
    try:
        placed: dict[str, str] = {}
        for relative, data in (*carried.files, *shared):
            path = _safe_relative(relative)
            if path is None:
                continue
            target = folder.joinpath(*path.parts)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            except (IsADirectoryError, NotADirectoryError, FileExistsError):
                continue  # a name both a file and a folder: the local worker skips it too
            placed[str(path)] = str(target)
        settings = carried.job.settings
        # The grader's folders are hidden where this machine has them (a path it lacks cannot
        # be masked, and holds nothing to hide).
        masked = tuple(p for p in settings.masked if os.path.lexists(p))
        job = replace(
            carried.job,
            files=tuple((host, relative) for relative, host in placed.items()),
            shared=(),
            settings=replace(settings, masked=masked),
        )
        return run_notebook_job(job)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def require_distributed() -> None:
    """Raise :class:`ClusterUnavailable`, saying what to install, when Dask distributed is not
    installed here (checked without importing it)."""
    try:
        found = importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise ClusterUnavailable(INSTALL_HINT)


def _import_distributed() -> Any:
    require_distributed()
    try:
        import distributed
    except ImportError as error:
        raise ClusterUnavailable(f"{INSTALL_HINT} ({error})") from None
    return distributed


class DaskPool:
    """Notebooks run as tasks on a Dask distributed cluster: the one whose scheduler is at
    ``scheduler``, or a ``LocalCluster`` of ``local_workers`` processes (one thread each) on
    loopback, started here and stopped by :meth:`close`."""

    def __init__(self, scheduler: str = "", local_workers: int = 0) -> None:
        if bool(scheduler) == bool(local_workers):
            raise ClusterUnavailable("give either a scheduler's address or local workers")
        distributed = _import_distributed()
        self.cluster: Any = None
        if local_workers:
            try:
                self.cluster = distributed.LocalCluster(
                    n_workers=local_workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            except Exception as error:  # noqa: BLE001 - Dask raises many kinds here
                raise ClusterUnavailable(
                    f"a LocalCluster of {local_workers} workers could not start "
                    f"({type(error).__name__}: {error})"
                ) from None
            address = self.cluster.scheduler_address
        else:
            check_scheduler(scheduler)
            address = scheduler
        try:
            self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as error:
            self._close_cluster()
            raise ClusterUnavailable(
                f"no Dask scheduler answers at {address} ({type(error).__name__}: {error}); "
                "start one (`dask scheduler`, then `dask worker ADDRESS` on each machine) or "
                "check the address"
            ) from None
        self.executor = self.client.get_executor(retries=RETRIES, pure=False)
        self.shared: dict[tuple[tuple[str, str], ...], Carried] = {}
        self.futures: list[Future[NotebookRun]] = []
        try:
            self.client.run(close_workers)  # what a run killed earlier left warm
        except Exception as error:  # noqa: BLE001 - a worker that fails to answer, say
            self.close()
            raise ClusterUnavailable(
                f"the Dask workers at {address} did not answer ({type(error).__name__}: {error})"
            ) from None

    def submit(self, job: NotebookJob) -> Future[NotebookRun]:
        """Send ``job`` with its files to the cluster; the future raises :class:`RunLost` if
        the cluster loses it."""
        carried = CarriedJob(replace(job, files=(), shared=()), carry(job.files))
        if job.shared not in self.shared:
            self.shared[job.shared] = carry(job.shared)
        inner = self.executor.submit(run_carried_job, carried, self.shared[job.shared])
        outer: Future[NotebookRun] = Future()
        outer.set_running_or_notify_cancel()

        def relay(done: Future[NotebookRun]) -> None:
            if done.cancelled():
                outer.set_exception(RunLost("the cluster cancelled the run"))
                return
            error = done.exception()
            if error is None:
                outer.set_result(done.result())
            else:
                outer.set_exception(RunLost(f"{type(error).__name__}: {error}"))

        inner.add_done_callback(relay)
        self.futures.append(inner)
        return outer

    def close(self) -> None:
        """Cancel what is still queued, close the warm sandboxes on every worker, disconnect
        (and stop the local cluster)."""
        try:
            for future in self.futures:
                future.cancel()
            self.executor.shutdown(wait=False)
            if self.client.status == "running":
                # Best effort: a worker that is gone has no sandbox left to close.
                self.client.run(close_workers, on_error="ignore")
        except (OSError, TimeoutError) as error:
            logging.getLogger(__name__).warning("the workers' sandboxes: %s", error)
        finally:
            # A client still trying to reach a scheduler that went away logs the cancelled
            # attempt as a traceback: the summary line already says what was lost.
            client_log = logging.getLogger("distributed.client")
            level = client_log.level
            client_log.setLevel(logging.CRITICAL)
            try:
                self.client.close()
            finally:
                client_log.setLevel(level)
            self._close_cluster()

    def _close_cluster(self) -> None:
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
