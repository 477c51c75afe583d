"""The grading worker: a process inside the sandbox that runs notebooks one after another,
each in a fresh process forked from a warm one.

Starting a Jupyter kernel costs about half a second of CPU per notebook (imports, sockets, a
handshake). The worker pays for IPython's imports once; for each notebook it forks, and the
child runs the notebook (:mod:`advpy.grade.notebook_runner`) under limits of memory,
processes and file size, with a wall-clock deadline. After each notebook every process the
child left is killed and every file it wrote is deleted, so the next notebook starts clean.

The worker is non-dumpable, so a notebook cannot attach to it or read its memory. It speaks
JSON lines with the grader (:mod:`advpy.grade.protocol`): one request per notebook on stdin,
one reply on stdout. Run it as ``python -m advpy.grade.worker``.

Inside the sandbox the submission's files arrive in a read-only folder; the worker copies them
into the notebook's folder in the home (see :mod:`advpy.grade.sandbox`), where they count
against the same size limit as everything the notebook writes.
"""

from __future__ import annotations

import ctypes
import marshal
import os
import resource
import select
import shutil
import signal
import struct
import sys
import time
from typing import Any

from advpy.grade.protocol import (
    CellRecord,
    NotebookStatus,
    ProtocolError,
    RunReply,
    RunRequest,
    WorkerReady,
)

_FRAME = struct.Struct("<I")
#: Bytes a notebook may send back in total (outputs of every cell).
MAX_REPLY = 32_000_000
PR_SET_DUMPABLE = 4


def _set_non_dumpable() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Worker:
    """The warm process: IPython loaded, a shell made, the checks module read."""

    def __init__(self, protocol_fd: int, sandboxed: bool) -> None:
        from advpy.grade import notebook_runner

        self.protocol_fd = protocol_fd
        # Only inside the sandbox's own process namespace may the worker kill "everything".
        self.sweep = sandboxed and os.getpid() <= 3
        self.runner = notebook_runner
        self.shell = notebook_runner.make_shell()
        import advpy.checks

        # Loaded before the snapshot of the modules below, so that the test cells' type checks
        # find mypy as it was, whatever an answer cell did to it (and do not pay its import).
        try:
            import mypy.api  # noqa: F401
        except ImportError:
            pass

        checks_file = advpy.checks.__file__ or "checks.py"
        with open(checks_file, encoding="utf-8") as handle:
            checks_source = handle.read()
        self.sanctuary = notebook_runner.Sanctuary(self.shell, checks_source, checks_file)
        self.base_vm = _vm_bytes()

    def send(self, message: WorkerReady | RunReply) -> None:
        view = memoryview(message.encode())
        while view:
            written = os.write(self.protocol_fd, view)
            view = view[written:]

    def serve(self) -> None:
        self.send(WorkerReady(self.base_vm))
        buffer = b""
        while True:
            chunk = os.read(0, 1 << 20)
            if not chunk:
                return
            buffer += chunk
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                if line.strip():
                    self.send(self.run_job(RunRequest.decode(line)))

    def run_job(self, job: RunRequest) -> RunReply:
        started = time.monotonic()
        try:
            _make_home()
            if job.files_from:
                shutil.copytree(job.files_from, job.cwd, copy_function=shutil.copyfile)
        except OSError as error:
            if self.sweep:
                _wipe(job.wipe)
            what = error.strerror or "the space to write is full, or a file is unreadable"
            why = f"the submission's files could not be put in place ({what})"
            return RunReply(NotebookStatus.ERROR, why, (), None, 0.0)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(reader)
                self._child(job, writer)
            finally:
                os._exit(70)
        os.close(writer)
        records, status, detail = self._collect(reader, pid, started + job.timeout)
        os.close(reader)
        if self.sweep:
            # Only inside the sandbox: outside it, these folders are the grader's to clean.
            _kill_everything_but_me()
            _wipe(job.wipe)
        try:
            cells = tuple(CellRecord.from_json(r) for r in records if "cell" in r)
        except ProtocolError as error:
            cells = ()
            if status == NotebookStatus.OK:
                status = NotebookStatus.ERROR
                detail = f"the notebook sent back a malformed record of a cell ({error})"
        finished = {cell.index for cell in cells}
        running = None
        for record in records:
            start = record.get("start")
            if type(start) is int and start not in finished:
                running = start
        if status == NotebookStatus.OK and not any(r.get("end") for r in records):
            status = NotebookStatus.DIED
            detail = "the notebook's process stopped before the end (os._exit, a crash, or a limit)"
        return RunReply(status, detail, cells, running, round(time.monotonic() - started, 3))

    def _collect(
        self, reader: int, pid: int, deadline: float
    ) -> tuple[list[dict[str, Any]], NotebookStatus, str]:
        data = bytearray()
        records: list[dict[str, Any]] = []
        status, detail = NotebookStatus.OK, ""
        exit_code: int | None = None
        ended = False
        # Stop at the child's last record or its exit, not at end of file: processes it
        # started may hold the pipe open.
        while not ended:
            left = deadline - time.monotonic()
            if left <= 0:
                status, detail = NotebookStatus.TIMEOUT, "the notebook ran past its time limit"
                break
            ready, _, _ = select.select([reader], [], [], min(left, 0.2))
            if not ready:
                if exit_code is None:
                    done, code = os.waitpid(pid, os.WNOHANG)
                    if done:
                        exit_code = code
                        continue  # read what is left, then stop at the next quiet moment
                else:
                    break
                continue
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                break
            data += chunk
            if len(data) > MAX_REPLY:
                status, detail = NotebookStatus.OUTPUT, "the notebook produced far too much output"
                break
            while len(data) >= _FRAME.size:
                (size,) = _FRAME.unpack_from(data)
                if len(data) < _FRAME.size + size:
                    break
                frame = bytes(data[_FRAME.size : _FRAME.size + size])
                del data[: _FRAME.size + size]
                try:
                    record = marshal.loads(frame)
                except (ValueError, EOFError, TypeError):
                    record = None
                if isinstance(record, dict):
                    records.append(record)
                    if record.get("end"):
                        ended = True
                        break
        try:
            os.kill(-pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        code = exit_code if exit_code is not None else os.waitpid(pid, 0)[1]
        if status == NotebookStatus.OK and os.WIFSIGNALED(code):
            sig = os.WTERMSIG(code)
            if sig != signal.SIGKILL:
                detail = f"the notebook's process was killed by signal {sig}"
        return records, status, detail

    def _child(self, job: RunRequest, writer: int) -> None:
        os.setsid()
        _close_all_but(writer)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.makedirs(job.cwd, exist_ok=True)
        os.chdir(job.cwd)
        capture = self.runner.FdCapture(job.private)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        _limit(resource.RLIMIT_CORE, 0)
        _limit(resource.RLIMIT_FSIZE, job.file_size)
        _limit(resource.RLIMIT_NPROC, job.processes)
        # No RLIMIT_CPU: with a process CPU-time limit armed, Linux updates the process's CPU
        # clock only once per scheduler tick, so the growth-rate checks (which time short
        # batches with time.process_time) would read 0 for most samples. The wall-clock
        # deadline, enforced here and from outside the sandbox, bounds CPU use instead.
        if job.memory_mb:
            _limit(resource.RLIMIT_AS, _vm_bytes() + job.memory_mb * 1024 * 1024)
        dumps = marshal.dumps
        pack = _FRAME.pack
        write = os.write

        def report(record: dict[str, Any]) -> None:
            try:
                payload = dumps(record)
            except ValueError:
                payload = dumps(_plain(record))
            frame = pack(len(payload)) + payload
            while frame:
                frame = frame[write(writer, frame) :]

        cells = [self.runner.Cell(i, s, t) for i, s, t in job.cells]
        self.runner.run_cells(self.shell, self.sanctuary, cells, report, capture)
        report({"end": True})
        os._exit(0)


def _make_home() -> None:
    """Make the home folder (emptied with ``/tmp`` after each notebook): where ``HOME`` is a
    link, the folder it points to."""
    os.makedirs(os.path.realpath(os.environ.get("HOME", "/tmp")), exist_ok=True)


def _plain(value: Any) -> Any:
    """``value`` with anything that is not a plain built-in turned into text."""
    kind = type(value)
    if kind is dict:
        return {str(k): _plain(v) for k, v in dict.items(value)}
    if kind in (list, tuple):
        return [_plain(v) for v in value]
    if kind in (str, int, float, bool, type(None)):
        return value
    return f"<{kind.__name__}>"


def _limit(which: int, value: int) -> None:
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass


def _close_all_but(keep: int) -> None:
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2 and fd != keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _kill_everything_but_me() -> None:
    """Kill every process this worker may signal (in the sandbox: everything a notebook
    started), until none is left."""
    me = os.getpid()
    for _ in range(200):
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0] > 0:
                pass
        except ChildProcessError:
            pass
        if not _others_alive(me):
            return
        time.sleep(0.005)


def _others_alive(me: int) -> bool:
    uid = os.getuid()
    try:
        names = os.listdir("/proc")
    except OSError:
        return False
    for name in names:
        if not name.isdigit() or int(name) in (me, 1):
            continue
        try:
            if os.stat(f"/proc/{name}").st_uid == uid:
                return True
        except OSError:
            continue
    return False


def _wipe(folders: tuple[str, ...]) -> None:
    """Delete everything inside ``folders`` (what a notebook wrote)."""

    def _retry(function: Any, path: str, _: Any) -> None:
        try:
            os.chmod(os.path.dirname(path), 0o700)
            os.chmod(path, 0o700)
            function(path)
        except OSError:
            pass

    for folder in folders:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            path = os.path.join(folder, entry)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, onerror=_retry)
            else:
                try:
                    os.unlink(path)
                except OSError:
                    pass


def main() -> None:
    """Serve notebooks on stdin/stdout until stdin closes."""
    protocol = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.close(null)
    _set_non_dumpable()
    os.makedirs(os.environ.get("IPYTHONDIR", "/tmp/.ipython"), exist_ok=True)
    worker = Worker(protocol, sandboxed="--sandboxed" in sys.argv)
    if worker.sweep:
        _wipe((os.environ.get("TMPDIR", "/tmp"),))
    worker.serve()


if __name__ == "__main__":
    main()
    sys.exit(0)
