"""The grading worker: a process inside the sandbox that runs notebooks one after another,
each in a fresh process forked from a warm one.

Starting a Jupyter kernel costs about half a second of CPU per notebook (imports, sockets, a
handshake). The worker pays for IPython's imports once; for each notebook it forks, and the
child runs the notebook (:mod:`advpy.grade.notebook_runner`) under limits of memory,
processes and file size, with a wall-clock deadline. After each notebook every process the
child left is killed and every file it wrote is deleted, so the next notebook starts clean.

For a judged notebook (:mod:`advpy.grade.judge`) it forks twice: the answering process runs the
learner's cells and answers calls at each test cell (:mod:`advpy.grade.answering`), and the
judge, forked from this untouched process, runs the test cells; each reports on a pipe of its
own, and only the judge's records of test cells are taken, only the other's of the rest.

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

from advpy.grade import wire
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


def _set_dumpable(dumpable: bool) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, int(dumpable), 0, 0, 0)
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
        judged = frozenset(job.judged)
        reader, writer = os.pipe()
        ours, theirs = wire.socket_pair() if judged else (None, None)
        pid = os.fork()
        if pid == 0:  # the answering (or only) process: never returns
            try:
                os.close(reader)
                if ours is not None:
                    ours.close()
                self._child(job, writer, theirs)
            finally:
                os._exit(70)
        os.close(writer)
        judge = None
        if ours is not None and theirs is not None:
            theirs.close()
            judge = self._start_judge(job, ours, pid, reader)
            ours.close()
        records, status, detail = self._collect(reader, pid, started + job.timeout, judge)
        os.close(reader)
        if judge is not None:
            records = _merge(records, judge.records, judged)
            if status == NotebookStatus.OK and not judge.ended:
                status = NotebookStatus.ERROR
                detail = "the grader's judge stopped before the end of the notebook"
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
        self, reader: int, pid: int, deadline: float, judge: _Records | None = None
    ) -> tuple[list[dict[str, Any]], NotebookStatus, str]:
        answer = _Records(reader, pid)
        status, detail = NotebookStatus.OK, ""
        # Stop at the child's last record or its exit, not at end of file: processes it
        # started may hold the pipe open. A judged notebook is done when its judge is: the
        # judge ends once the answering process has ended or is gone.
        while not (answer.done and (judge is None or judge.done)):
            left = deadline - time.monotonic()
            if left <= 0:
                status, detail = NotebookStatus.TIMEOUT, "the notebook ran past its time limit"
                break
            streams = [s for s in (answer, judge) if s is not None and not s.done]
            ready, _, _ = select.select([s.reader for s in streams], [], [], min(left, 0.2))
            if not ready:
                for stream in streams:
                    stream.quiet()
                continue
            for stream in streams:
                if stream.reader in ready and not stream.read():
                    status, detail = (
                        NotebookStatus.OUTPUT,
                        "the notebook produced far too much output",
                    )
            if status != NotebookStatus.OK:
                break
        if judge is not None:
            judge.stop()
        records = answer.records
        exit_code = answer.stop()
        code = exit_code if exit_code is not None else 0
        if status == NotebookStatus.OK and os.WIFSIGNALED(code):
            sig = os.WTERMSIG(code)
            if sig != signal.SIGKILL:
                detail = f"the notebook's process was killed by signal {sig}"
        return records, status, detail

    def _start_judge(self, job: RunRequest, sock: Any, answer_pid: int, reader: int) -> _Records:
        """Fork the judge, which runs the test cells (:mod:`advpy.grade.judge`): it is forked from
        this warm process, which no learner code has touched, and reports on a pipe of its own."""
        judge_reader, judge_writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(judge_reader)
                os.close(reader)
                _close_all_but(judge_writer, sock.fileno())
                from advpy.grade.judge import Judge

                Judge(
                    sock,
                    list(job.cells),
                    frozenset(job.judged),
                    answer_pid,
                    self.sweep,
                    _reporter(judge_writer),
                ).run()
                os._exit(0)
            finally:
                os._exit(71)
        os.close(judge_writer)
        return _Records(judge_reader, pid, group=False)

    def _child(self, job: RunRequest, writer: int, sock: Any = None) -> None:
        os.setsid()
        _close_all_but(writer, sock.fileno() if sock is not None else writer)
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
        report = _reporter(writer)
        cells = [self.runner.Cell(i, s, t) for i, s, t in job.cells]
        if sock is None:
            self.runner.run_cells(self.shell, self.sanctuary, cells, report, capture)
        else:
            from advpy.grade.answering import AnswerServer

            # The judge reads and resets this process's memory figures from outside
            # (/proc/<pid>/clear_refs belongs to root in a process that is not dumpable). The
            # worker and the judge stay not dumpable: learner code cannot trace them.
            _set_dumpable(True)
            server = AnswerServer(
                sock, self.shell.user_ns, lambda: self.runner.wrote_to_stderr(capture)
            )
            self.runner.run_cells(
                self.shell,
                self.sanctuary,
                cells,
                report,
                capture,
                judged=frozenset(job.judged),
                answer=server.serve_test,
            )
            server.finish()
        report({"end": True})
        os._exit(0)


def _reporter(writer: int) -> Any:
    """A function that sends one record (a dict of plain values) as a frame on ``writer``."""
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

    return report


class _Records:
    """The records one process of a notebook sends on its pipe, read as they come."""

    def __init__(self, reader: int, pid: int, group: bool = True) -> None:
        self.reader = reader
        self.pid = pid
        self.group = group
        self.data = bytearray()
        self.records: list[dict[str, Any]] = []
        self.ended = False  # its last record came
        self.closed = False  # its pipe reached end of file
        self.exit_code: int | None = None
        self.drained = False  # it exited, and a quiet moment followed

    @property
    def done(self) -> bool:
        return self.ended or self.closed or self.drained

    def quiet(self) -> None:
        """Nothing to read for a while: note an exit, or stop after the one noted."""
        if self.exit_code is None:
            done, code = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.exit_code = code
        else:
            self.drained = True

    def read(self) -> bool:
        """Read what is there; False when the process sent far too much."""
        chunk = os.read(self.reader, 1 << 20)
        if not chunk:
            self.closed = True
            return True
        self.data += chunk
        if len(self.data) > MAX_REPLY:
            return False
        data = self.data
        while len(data) >= _FRAME.size and not self.ended:
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
                self.records.append(record)
                if record.get("end"):
                    self.ended = True
        return True

    def stop(self) -> int | None:
        """Kill the process (and its group, for the answering one) and reap it."""
        try:
            os.kill(-self.pid if self.group else self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if self.exit_code is None:
            self.exit_code = os.waitpid(self.pid, 0)[1]
        return self.exit_code


def _merge(
    answer: list[dict[str, Any]], judge: list[dict[str, Any]], judged: frozenset[int]
) -> list[dict[str, Any]]:
    """The answering process's records of its own cells and the judge's of the test cells, in
    cell order: neither may speak for the other's cells."""

    def cell_of(record: dict[str, Any]) -> Any:
        return record.get("cell", record.get("start"))

    body = [r for r in answer if "end" not in r and cell_of(r) not in judged]
    body += [r for r in judge if "end" not in r and cell_of(r) in judged]
    body = [r for r in body if type(cell_of(r)) is int]
    body.sort(key=lambda r: (cell_of(r), "cell" in r))
    return body + [r for r in answer if "end" in r]


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


def _close_all_but(*keep: int) -> None:
    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        fds = list(range(3, 1024))
    for fd in fds:
        if fd > 2 and fd not in keep:
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
    _set_dumpable(False)
    os.makedirs(os.environ.get("IPYTHONDIR", "/tmp/.ipython"), exist_ok=True)
    worker = Worker(protocol, sandboxed="--sandboxed" in sys.argv)
    if worker.sweep:
        _wipe((os.environ.get("TMPDIR", "/tmp"),))
    worker.serve()


if __name__ == "__main__":
    main()
    sys.exit(0)
