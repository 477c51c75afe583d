"""Run notebooks in sandboxed workers, through a ``concurrent.futures`` executor.

A grading task is a :class:`NotebookJob` (plain data: the cells to run, the submission's
files, the limits) turned into a :class:`NotebookRun` by :func:`run_notebook_job`. Tasks are
independent, so any ``concurrent.futures.Executor`` can run them. The grader sends them to a
:class:`NotebookPool`: :class:`LocalPool` is a thread pool in which each thread keeps one warm
sandboxed worker process on this machine; :mod:`advpy.grade.cluster` sends them to the workers
of a Dask distributed cluster, which run them with the same :func:`run_notebook_job`.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from advpy.cores import usable_cores
from advpy.grade.files import RefusedFile, copy_regular
from advpy.grade.protocol import (
    CellRecord,
    NotebookStatus,
    ProtocolError,
    RunReply,
    RunRequest,
    WorkerReady,
)
from advpy.grade.sandbox import (
    HOME,
    INBOX,
    WRITABLE,
    Limits,
    find_bwrap,
    give_to_worker,
    prepare_home,
    prepare_identity,
    prepare_inbox,
    privileged,
    sandbox_command,
    unsandboxed_command,
)

#: Seconds a worker may take to start (import IPython) before it is given up on.
STARTUP_TIMEOUT = 120.0
#: Seconds granted beyond a notebook's own limit before the whole sandbox is killed.
GRACE = 15.0
SCRATCH_PREFIX = "advpy-grade-"
#: Largest total size of a submission's other files copied into the sandbox.
MAX_FILES_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class WorkerSettings:
    """How workers are started: sandboxed or not, and the folders to hide from them."""

    sandbox: bool = True
    masked: tuple[str, ...] = ()
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class NotebookJob:
    """One notebook of one submission to run."""

    student: str
    notebook: str
    folder_name: str  # the assignment's name: the folder the notebook runs in
    cells: tuple[tuple[int, str, bool], ...]  # (index, source, trusted) of each code cell
    files: tuple[tuple[str, str], ...]  # (host path, relative path) of files to copy in
    settings: WorkerSettings
    judged: tuple[int, ...] = ()  # test cells judged outside the answer's process
    # (host path, relative path) of the assignment's own files, copied in after ``files``
    # (over a submitted file of the same name), the same for every submission
    shared: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class NotebookRun:
    """What running a notebook gave: each code cell's outputs, and how it ended."""

    student: str
    notebook: str
    status: NotebookStatus  # never MISSING nor INVALID: those notebooks are not run
    detail: str
    cells: dict[int, CellRecord]  # by cell index
    running: int | None  # the cell that was running when the notebook stopped
    seconds: float

    @classmethod
    def from_reply(cls, job: NotebookJob, reply: RunReply) -> NotebookRun:
        """What the worker said about running ``job``."""
        cells = {cell.index: cell for cell in reply.cells}
        return cls(
            job.student,
            job.notebook,
            reply.status,
            reply.detail,
            cells,
            reply.running,
            reply.seconds,
        )

    @classmethod
    def failed(
        cls, job: NotebookJob, status: NotebookStatus, detail: str, seconds: float = 0.0
    ) -> NotebookRun:
        """A run that gave nothing to score."""
        return cls(job.student, job.notebook, status, detail, {}, None, seconds)


class WorkerError(RuntimeError):
    """A worker could not be started or stopped answering."""


class SandboxWorker:
    """One warm worker process (in its own sandbox) and the host folder it works in."""

    _counter = 0
    _lock = threading.Lock()

    def __init__(self, settings: WorkerSettings) -> None:
        with SandboxWorker._lock:
            SandboxWorker._counter += 1
            self.index = SandboxWorker._counter
        self.settings = settings
        _remove_stale_scratch()
        self.scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-"))
        self.home = self.scratch / "home"  # the notebook's home without a sandbox
        self.inbox = self.scratch / "inbox"  # the submission's files, read-only in the sandbox
        self.identity = self.scratch / "identity"  # /etc/passwd and /etc/group in the sandbox
        self.process: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.base_vm = 0

    def start(self) -> None:
        """Start the worker and wait until it has loaded IPython."""
        self.stop()
        for folder in (self.home, self.inbox):
            shutil.rmtree(folder, ignore_errors=True)
        if self.settings.sandbox:
            prepare_inbox(self.inbox)
            if privileged():
                prepare_identity(self.identity, self.index)
            command = sandbox_command(
                find_bwrap(),
                self.inbox,
                [Path(p) for p in self.settings.masked],
                self.settings.limits,
                self.index,
                self.identity,
            )
            cwd = None
            env = None
        else:
            # Everything the worker writes stays in its own folder, never the machine's /tmp.
            prepare_home(self.home, self.index)
            command = unsandboxed_command()
            cwd = str(self.home)
            private = self.scratch / "tmp"
            private.mkdir(exist_ok=True)
            env = {
                **os.environ,
                "HOME": str(self.home),
                "TMPDIR": str(private),
                "IPYTHONDIR": str(private / ".ipython"),
                "MPLCONFIGDIR": str(private / ".matplotlib"),
            }
        self.stderr = open(self.scratch / "worker.log", "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        self.buffer = b""
        line = self._read_line(time.monotonic() + STARTUP_TIMEOUT)
        try:
            if line is None:
                raise ProtocolError("it said nothing")
            ready = WorkerReady.decode(line)
        except ProtocolError as error:
            log = (self.scratch / "worker.log").read_text(errors="replace")[-2000:]
            self.stop()
            raise WorkerError(f"the grading worker did not start ({error}):\n{log}") from None
        self.base_vm = ready.vm_bytes

    def stop(self) -> None:
        """Kill the worker and everything in its sandbox."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.process.wait()
            for pipe in (self.process.stdin, self.process.stdout):
                if pipe is not None:
                    pipe.close()
            self.stderr.close()
            self.process = None

    def close(self) -> None:
        """Stop the worker and delete its folder."""
        self.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _read_line(self, deadline: float) -> bytes | None:
        """The worker's next line, or None when it says nothing more before ``deadline``."""
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                if self.process.poll() is not None:
                    return None
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def _place_files(self, job: NotebookJob) -> None:
        """Put the submission's files into a fresh folder named like the assignment: in the
        inbox, from which the worker copies them home inside the sandbox; without a sandbox,
        straight into the home folder, emptied first with the worker's /tmp."""
        if self.settings.sandbox:
            folders, root = [self.inbox], self.inbox
        else:
            folders, root = [self.home, self.scratch / "tmp"], self.home
        for folder in folders:
            for entry in folder.iterdir():
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        folder = root / job.folder_name
        folder.mkdir(mode=0o755)
        total = 0
        for source, relative in job.files + job.shared:
            target = folder / relative
            if folder not in target.parents or ".." in Path(relative).parts:
                continue
            try:
                size = os.lstat(source).st_size
                if total + size > MAX_FILES_BYTES:
                    continue
                target.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
                total += copy_regular(source, target)
            except (RefusedFile, OSError):
                continue  # refused when the submission was read; gone or changed since
            target.chmod(0o644)
        if not self.settings.sandbox:
            give_to_worker(folder, self.index)

    def run(self, job: NotebookJob) -> NotebookRun:
        """Run one notebook; a worker that dies or hangs is killed and replaced."""
        started = time.monotonic()
        if self.process is None or self.process.poll() is not None:
            self.start()
        assert self.process is not None and self.process.stdin is not None
        self._place_files(job)
        sandboxed = self.settings.sandbox
        inside = HOME if sandboxed else str(self.home)
        limits = self.settings.limits
        request = RunRequest(
            cells=job.cells,
            cwd=f"{inside}/{job.folder_name}",
            timeout=limits.timeout,
            memory_mb=limits.memory_mb,
            processes=limits.processes,
            file_size=limits.file_size,
            wipe=WRITABLE if sandboxed else (),
            private="/tmp" if sandboxed else str(self.scratch / "tmp"),
            files_from=f"{INBOX}/{job.folder_name}" if sandboxed else "",
            judged=job.judged,
        )
        try:
            self.process.stdin.write(request.encode())
            self.process.stdin.flush()
            line = self._read_line(time.monotonic() + limits.timeout + GRACE)
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            hung = self.process.poll() is None
            self.stop()
            if hung:
                status = NotebookStatus.TIMEOUT
                detail = "the notebook stopped answering and its sandbox was killed"
            else:
                status = NotebookStatus.DIED
                detail = "the notebook's worker process was killed (by the notebook itself?)"
            return NotebookRun.failed(job, status, detail, round(time.monotonic() - started, 3))
        try:
            reply = RunReply.decode(line)
        except ProtocolError as error:
            # The worker ran the notebook's code in its sandbox: trust nothing more it says.
            self.stop()
            return NotebookRun.failed(
                job,
                NotebookStatus.ERROR,
                f"the grading worker sent back a {error}",
                round(time.monotonic() - started, 3),
            )
        return NotebookRun.from_reply(job, reply)


def _remove_stale_scratch() -> None:
    """Delete the folders of workers whose grader is gone (a run killed with SIGKILL)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-*"):
        owner = folder.name[len(SCRATCH_PREFIX) :].split("-", 1)[0]
        if owner.isdigit() and not Path(f"/proc/{owner}").exists():
            shutil.rmtree(folder, ignore_errors=True)


_local = threading.local()
_workers: list[SandboxWorker] = []
_workers_lock = threading.Lock()


def run_notebook_job(job: NotebookJob) -> NotebookRun:
    """Run ``job`` in this thread's warm worker (started on first use)."""
    worker: SandboxWorker | None = getattr(_local, "worker", None)
    with _workers_lock:
        closed = worker is not None and worker not in _workers  # by close_workers()
    if worker is None or closed or worker.settings != job.settings:
        if worker is not None:
            worker.close()
        worker = SandboxWorker(job.settings)
        with _workers_lock:
            _workers.append(worker)
        _local.worker = worker
    try:
        return worker.run(job)
    except WorkerError as error:
        return NotebookRun.failed(job, NotebookStatus.ERROR, str(error))
    except Exception as error:  # noqa: BLE001 - one notebook's trouble never stops the class
        worker.stop()  # in an unknown state: the next notebook gets a fresh one
        why = f"the grader could not run it ({type(error).__name__}: {error})"
        return NotebookRun.failed(job, NotebookStatus.ERROR, why)


def close_workers() -> None:
    """Stop every worker started in this process."""
    with _workers_lock:
        workers = list(_workers)
        _workers.clear()
    for worker in workers:
        worker.close()


def default_jobs() -> int:
    """One worker per core this process may use (its affinity mask and any container CPU quota:
    see :func:`advpy.cores.usable_cores`)."""
    return usable_cores()


def make_executor(jobs: int) -> Executor:
    """A thread pool of ``jobs`` threads, each driving one sandboxed worker process."""
    return ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="advpy-grade")


class RunLost(RuntimeError):
    """A pool lost a notebook's run before it gave a result (its cluster went away, or every
    worker that tried it died): there is nothing to score, and the submission is left ungraded,
    so that running the command again grades it."""


class NotebookPool(Protocol):
    """Where the grader sends notebooks to run (see :class:`LocalPool`)."""

    def submit(self, job: NotebookJob) -> Future[NotebookRun]:
        """Start running ``job``; its future raises :class:`RunLost` if the run was lost."""
        ...

    def close(self) -> None:
        """Stop whatever is still queued and every warm worker the pool started."""
        ...


class LocalPool:
    """The workers of this machine: ``jobs`` threads, each driving one warm sandboxed worker
    process (:func:`make_executor`)."""

    def __init__(self, jobs: int) -> None:
        self.executor = make_executor(jobs)

    def submit(self, job: NotebookJob) -> Future[NotebookRun]:
        return self.executor.submit(run_notebook_job, job)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        close_workers()
