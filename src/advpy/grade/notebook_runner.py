"""Run one notebook's code cells in this process, the way a Jupyter kernel would, and report
each cell's outputs in the notebook format (this module runs inside the grading sandbox).

Learner cells run through IPython exactly as in a kernel (magics, top-level ``await``, display,
tracebacks in ``Minimal`` mode). The instructor's cells (the restored test cells and other
locked cells) run through a separate, trusted path, so that nothing a learner's cell left behind
can rewrite or swallow them:

- they never pass through IPython's input or AST transformers, custom exception handlers or
  event hooks: they are transformed by a fresh transformer, compiled and executed here, and
  an exception raised in them is recorded here, as an ``error`` output;
- before each one, every module's attributes that existed before the learner's code ran are put
  back (so patched builtins, ``sys.stdout``, ``math.isclose`` and the like are undone), names
  bound by the instructor's earlier cells are bound again, tracing and timers are switched off,
  and :mod:`advpy.checks` is loaded afresh from the copy read before any learner code ran;
- an error they raise is marked as a check's own failure only when no learner code could have
  made it (:meth:`Sanctuary.raised_by_check`): the grader shows the text of such an error, but
  not that of one raised while learner code ran, which could quote a hidden test's inputs.

What remains possible is what is possible inside any kernel: code that digs into the running
interpreter (frames, the garbage collector, ``ctypes``) can forge a result. That is why, for
most assignments, test cells do not run here at all but in the judge (:mod:`advpy.grade.judge`),
and this path serves only the assignments whose tests must run beside the answer
(:mod:`advpy.grade.verdicts`). The grader flags submissions that use such tools for a human;
the sandbox around this process keeps the course itself out of reach either way.
"""

from __future__ import annotations

import ast
import asyncio
import builtins
import io
import os
import signal
import sys
import threading
import time
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.inputtransformer2 import TransformerManager
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type
from traitlets.config import Config

#: Text kept from one cell's streams; the rest is replaced by a note (nbgrader's LimitOutput
#: later trims what is stored to a few hundred lines anyway).
MAX_CELL_TEXT = 200_000
#: Bytes of rich display data kept for one cell.
MAX_CELL_DATA = 2_000_000
TRUNCATED = "\n[output truncated by the grader]\n"

_MISSING = object()
#: The clock that times cells, taken before any learner code can replace ``time.monotonic``.
_CLOCK = time.monotonic
_CPU_CLOCK = time.process_time


@dataclass(frozen=True)
class Cell:
    """One code cell to run: its index in the notebook, its code, and whose code it is."""

    index: int
    source: str
    trusted: bool


class OutputSink:
    """The outputs of the cell running now, in nbformat's JSON shape."""

    def __init__(self) -> None:
        self.outputs: list[dict[str, Any]] = []
        self.text = 0
        self.data = 0
        self.truncated = False

    def reset(self) -> None:
        self.outputs = []
        self.text = 0
        self.data = 0

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        room = MAX_CELL_TEXT - self.text
        if room <= 0:
            self.truncated = True
            return
        if len(text) > room:
            text = text[:room] + TRUNCATED
            self.truncated = True
        self.text += len(text)
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last["output_type"] == "stream" and last["name"] == name:
            last["text"] += text
        else:
            self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def _fits(self, data: dict[str, Any]) -> bool:
        size = sum(len(str(v)) for v in data.values())
        if self.data + size > MAX_CELL_DATA:
            self.truncated = True
            self.stream("stdout", "[a large display output was left out by the grader]\n")
            return False
        self.data += size
        return True

    def display(self, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        if self._fits(data):
            self.outputs.append({"output_type": "display_data", "data": data, "metadata": metadata})

    def result(self, count: int, data: dict[str, Any], metadata: dict[str, Any]) -> None:
        if self._fits(data):
            self.outputs.append(
                {
                    "output_type": "execute_result",
                    "execution_count": count,
                    "data": data,
                    "metadata": metadata,
                }
            )

    def error(self, ename: str, evalue: str, traceback: list[str]) -> None:
        self.outputs.append(
            {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": traceback}
        )

    def clear(self) -> None:
        self.reset()


#: The sink of the notebook being run (one notebook per process).
SINK = OutputSink()


class CaptureStream(io.TextIOBase):
    """``sys.stdout`` / ``sys.stderr``: text becomes stream outputs of the running cell."""

    def __init__(self, name: str, fd: int) -> None:
        super().__init__()
        self.name_ = name
        self.fd = fd

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self.fd

    def write(self, text: str) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        SINK.stream(self.name_, text)
        return len(text)

    def flush(self) -> None:
        return None


class CapturePublisher(DisplayPublisher):  # type: ignore[misc]
    """``display()`` and rich outputs become display_data outputs."""

    def publish(  # type: ignore[override]
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: Any = None,
        *,
        transient: Any = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        SINK.display(dict(data), dict(metadata or {}))

    def clear_output(self, wait: bool = False) -> None:
        SINK.clear()


class CaptureDisplayHook(DisplayHook):  # type: ignore[misc]
    """A learner cell's last expression becomes an execute_result output."""

    def start_displayhook(self) -> None:
        self._format: tuple[dict[str, Any], dict[str, Any]] | None = None

    def write_output_prompt(self) -> None:
        return None

    def write_format_data(self, format_dict: dict[str, Any], md_dict: Any = None) -> None:
        self._format = (dict(format_dict), dict(md_dict or {}))

    def finish_displayhook(self) -> None:
        captured = getattr(self, "_format", None)
        shell = self.shell
        if captured and shell is not None:
            SINK.result(int(shell.execution_count), captured[0], captured[1])
        self._format = None


class GradingShell(InteractiveShell):  # type: ignore[misc]
    """An IPython shell whose outputs and tracebacks become cell outputs, as in a kernel."""

    displayhook_class = Type(CaptureDisplayHook)
    display_pub_class = Type(CapturePublisher)

    def _showtraceback(self, etype: type, evalue: BaseException, stb: list[str]) -> None:
        SINK.error(_type_name(etype), _safe_text(evalue), list(stb))

    def enable_gui(self, gui: Any = None) -> None:
        return None


def _type_name(kind: Any) -> str:
    try:
        name = type.__dict__["__name__"].__get__(kind)
        return name if isinstance(name, str) else "Error"
    except Exception:
        return "Error"


def _safe_text(value: Any) -> str:
    try:
        text = str(value)
        return text if type(text) is str else ""
    except BaseException:
        return ""


def make_shell() -> GradingShell:
    """The shell notebooks run in: no history file, short tracebacks, no colours; ``print``
    and ``sys.stdout``/``sys.stderr`` feed the running cell's outputs."""
    sys.stdout = CaptureStream("stdout", 1)
    sys.stderr = CaptureStream("stderr", 2)
    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.xmode = "Minimal"
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.autoindent = False
    return GradingShell.instance(config=config)  # type: ignore[no-any-return]


class Sanctuary:
    """What the instructor's cells need, taken before any learner code runs, and put back
    before each of them."""

    def __init__(self, shell: GradingShell, checks_source: str, checks_file: str) -> None:
        self.shell = shell
        self.namespace: dict[str, Any] = shell.user_ns
        self.builtins = builtins
        self.trusted_names: dict[str, Any] = {}
        self.checks_code = compile(checks_source, checks_file, "exec", dont_inherit=True)
        self.checks_file = checks_file
        self.modules_dict = sys.modules
        self.settrace = sys.settrace
        self.setprofile = sys.setprofile
        self.threading_settrace = threading.settrace
        self.threading_setprofile = threading.setprofile
        self.signal = signal.signal
        self.setitimer = signal.setitimer
        self.default_int_handler = signal.default_int_handler
        self.setswitchinterval = sys.setswitchinterval
        self.transform = TransformerManager().transform_cell
        self.compile = compile
        self.parse = ast.parse
        self.new_loop = asyncio.new_event_loop
        self.module_type = types.ModuleType
        self.assertion_error = AssertionError
        # The code that may stand between this class and a test cell in a traceback, with the
        # module namespace each must run in; and the checks' own code.
        run_until_complete = asyncio.base_events.BaseEventLoop.run_until_complete
        self.machinery = {
            id(code): (code, names)
            for code, names in (
                (Sanctuary.run.__code__, globals()),
                (Sanctuary._execute.__code__, globals()),
                (run_code.__code__, globals()),
                (run_until_complete.__code__, run_until_complete.__globals__),
            )
        }
        self.checks_codes = _code_objects(self.checks_code)
        self.checks_namespace: dict[str, Any] = {}
        self.checks_names: dict[str, Any] = {}
        # The code of the instructor's cells run so far, each with the namespace it runs in,
        # and what each earlier cell's namespace held when it ended (its functions still use
        # it: a helper of the setup cell may fail a check).
        self.instructor_codes: dict[int, tuple[types.CodeType, dict[str, Any]]] = {}
        self.instructor_scopes: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.path = sys.path
        self.lists: dict[str, tuple[list[Any], list[Any]]] = {
            "path": (sys.path, list(sys.path)),
            "meta_path": (sys.meta_path, list(sys.meta_path)),
            "path_hooks": (sys.path_hooks, list(sys.path_hooks)),
        }
        _block_tracing()
        self.modules = dict(sys.modules)
        self.dicts: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for module in self.modules.values():
            namespace = getattr(module, "__dict__", None)
            if isinstance(module, types.ModuleType) and type(namespace) is dict:
                self.dicts.append((namespace, dict(namespace)))
        with shell.builtin_trap:
            self.builtin_names = dict(builtins.__dict__)

    def restore(self) -> None:
        """Undo what learner code did to the interpreter's shared state."""
        self.settrace(None)
        self.setprofile(None)
        self.threading_settrace(None)  # type: ignore[arg-type]
        self.threading_setprofile(None)  # type: ignore[arg-type]
        self.setitimer(signal.ITIMER_REAL, 0)
        self.signal(signal.SIGALRM, signal.SIG_DFL)
        self.signal(signal.SIGINT, self.default_int_handler)
        self.setswitchinterval(0.005)
        modules = self.modules_dict
        for name, module in self.modules.items():
            if modules.get(name, _MISSING) is not module:
                modules[name] = module
        for namespace, saved in self.dicts:
            for key, value in saved.items():
                if namespace.get(key, _MISSING) is not value:
                    namespace[key] = value
        names = self.builtins.__dict__
        for key in [k for k in names if k not in self.builtin_names]:
            del names[key]
        names.update(self.builtin_names)
        for target, saved_list in self.lists.values():
            target[:] = saved_list  # type: ignore[index]
        self.namespace["__builtins__"] = self.builtins
        self._fresh_checks()

    def _fresh_checks(self) -> None:
        fresh = self.module_type("advpy.checks")
        fresh.__file__ = self.checks_file
        fresh.__package__ = "advpy"
        self.modules_dict["advpy.checks"] = fresh
        # The checks keep the real tracing hook (run_in_threads interleaves threads with it);
        # learner code finds the global one switched off.
        sys_names = self.modules_dict["sys"].__dict__
        sys_names["settrace"] = self.settrace
        try:
            exec(self.checks_code, fresh.__dict__)
        finally:
            sys_names["settrace"] = _refuse_tracing
        self.checks_namespace = fresh.__dict__
        self.checks_names = dict(fresh.__dict__)
        package = self.modules_dict.get("advpy")
        if package is not None:
            package.__dict__["checks"] = fresh

    def run(self, source: str) -> bool:
        """Run an instructor's cell; its exception (if any) becomes an error output. True when
        that exception is a check's own failure (:meth:`raised_by_check`).

        The cell sees the learner's names, except those that shadow a built-in (``set``,
        ``len``, ``type``...), and the modules the instructor's earlier cells imported; what
        it binds is then copied into the learner's namespace, as if it had run there.
        """
        scope = {
            key: value
            for key, value in self.namespace.items()
            if key.startswith("__") or key not in self.builtin_names
        }
        scope.update(self.trusted_names)
        scope["__builtins__"] = self.builtins
        before = dict(scope)
        check_failure = False
        try:
            body, expression = compile_cell(self.transform(source), self.parse, self.compile)
            self._trust(body, scope)
            self._execute(body, scope)
            if expression is not None:
                self._trust(expression, scope)
                value = self._execute(expression, scope)
                if value is not None:
                    SINK.result(
                        int(self.shell.execution_count),
                        {"text/plain": _plain_text(value)},
                        {},
                    )
        except BaseException as error:  # noqa: BLE001 - every failure of a test cell counts
            name = _type_name(type(error))
            text = _safe_text(error)
            SINK.error(name, text, [f"{name}: {text}" if text else name])
            check_failure = self.raised_by_check(error)
        self.instructor_scopes.append((scope, dict(scope)))
        bound = {
            key: value
            for key, value in scope.items()
            if key != "__builtins__" and before.get(key, _MISSING) is not value
        }
        self.namespace.update(bound)
        self.namespace["__builtins__"] = self.builtins
        for key, value in bound.items():
            if not key.startswith("_") and isinstance(value, types.ModuleType):
                self.trusted_names[key] = value
        return check_failure

    def _trust(self, code: types.CodeType, scope: dict[str, Any]) -> None:
        for inner in _code_objects(code).values():
            self.instructor_codes[id(inner)] = (inner, scope)

    def raised_by_check(self, error: BaseException) -> bool:
        """True when ``error``, raised by the instructor's cell running now, is a check's own
        failure, whose text says what failed in the instructor's words.

        That is: a plain ``AssertionError`` with one text (the checks and the test cells raise
        no other kind of failure) that travelled only through the code of the instructor's
        cells, the checks' code and this class's (so no learner function raised it, re-raised
        it or handed it over), while neither the built-in names, nor the checks module, nor an
        earlier instructor cell's names had been changed (so no name in that code stood for a
        learner's function). Anything else may carry text made by learner code: an exception
        the learner raised, whatever its type, or one raised in a check while it called
        learner code.
        """
        if type(error) is not self.assertion_error:
            return False
        args = error.args
        if type(args) is not tuple or len(args) != 1 or type(args[0]) is not str:
            return False
        if not _unchanged(self.builtins.__dict__, self.builtin_names):
            return False
        if not _unchanged(self.checks_namespace, self.checks_names):
            return False
        if not all(_unchanged(names, saved) for names, saved in self.instructor_scopes):
            return False
        traceback = error.__traceback__
        while traceback is not None:
            frame = traceback.tb_frame
            code, names = frame.f_code, frame.f_globals
            machinery = self.machinery.get(id(code))
            instructor = self.instructor_codes.get(id(code))
            trusted = (
                (machinery is not None and machinery[0] is code and machinery[1] is names)
                or (instructor is not None and instructor[0] is code and instructor[1] is names)
                or (self.checks_codes.get(id(code)) is code and names is self.checks_namespace)
            )
            if not trusted:
                return False
            traceback = traceback.tb_next
        return True

    def _execute(self, code: types.CodeType, scope: dict[str, Any]) -> Any:
        return run_code(code, scope, self.new_loop)


def compile_cell(
    code: str,
    parse: Callable[[str], ast.Module] = ast.parse,
    compile_: Callable[..., types.CodeType] = compile,
) -> tuple[types.CodeType, types.CodeType | None]:
    """An instructor's cell (already through IPython's transformer) compiled as a kernel runs
    it: its statements, and apart its last expression if it ends with one (the cell's value);
    both may ``await`` at top level. ``parse`` and ``compile_`` are passed by a caller that
    keeps its own copies of them."""
    tree = parse(code)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body[-1].value)
        tree.body.pop()
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    body = compile_(ast.Module(tree.body, []), "<test cell>", "exec", flags=flags)
    if last is None:
        return body, None
    return body, compile_(last, "<test cell>", "eval", flags=flags)


def run_code(code: types.CodeType, scope: dict[str, Any], new_loop: Callable[[], Any]) -> Any:
    """Run code from :func:`compile_cell` in ``scope``; a cell that awaited at top level runs to
    its end on a new event loop from ``new_loop``."""
    result = eval(code, scope)  # noqa: S307 - the instructor's own test code
    if code.co_flags & 0x80:  # CO_COROUTINE: the cell used top-level await
        loop = new_loop()
        try:
            result = loop.run_until_complete(result)
        finally:
            loop.close()
    return result


def _code_objects(code: types.CodeType) -> dict[int, types.CodeType]:
    """``code`` and every code object compiled inside it (functions, classes, comprehensions),
    by identity."""
    found = {id(code): code}
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            found.update(_code_objects(constant))
    return found


def _unchanged(names: dict[str, Any], saved: dict[str, Any]) -> bool:
    """True when the namespace ``names`` binds exactly what ``saved`` recorded, object for
    object."""
    if len(names) != len(saved):
        return False
    return all(names.get(key, _MISSING) is value for key, value in saved.items())


def _plain_text(value: Any) -> str:
    """The text of a test cell's last value: built-in scalars as Python shows them, anything
    else by its type only (a learner's object does not get to format itself)."""
    if type(value) in (int, float, bool, str, complex):
        return repr(value)
    return f"<{_type_name(type(value))}>"


def _refuse_tracing(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("tracing and profiling hooks are switched off while notebooks are graded")


def _block_tracing() -> None:
    sys.settrace = _refuse_tracing
    sys.setprofile = _refuse_tracing
    threading.settrace = _refuse_tracing
    threading.setprofile = _refuse_tracing


class FdCapture:
    """Text written straight to file descriptors 1 and 2 (``os.write``, child processes),
    collected after each cell from the files they point to."""

    def __init__(self, directory: str) -> None:
        self.files = {}
        for fd, name in ((1, "stdout"), (2, "stderr")):
            path = os.path.join(directory, f".fd{fd}")
            target = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
            self.files[name] = (os.open(path, os.O_RDONLY), 0)

    def collect(self) -> None:
        for name, (reader, _) in list(self.files.items()):
            chunk = os.read(reader, MAX_CELL_TEXT)
            if chunk:
                SINK.stream(name, chunk.decode("utf-8", "replace"))
                while os.read(reader, 1 << 16):  # skip the rest of an enormous output
                    SINK.truncated = True


def wrote_to_stderr(capture: FdCapture | None) -> bool:
    """True when the cell running now has written to stderr, through ``sys.stderr`` or straight
    to file descriptor 2 (a child process, a thread dying of an uncaught exception)."""
    sys.stderr.flush()
    if capture is not None:
        capture.collect()
    return any(
        output.get("output_type") == "stream" and output.get("name") == "stderr"
        for output in SINK.outputs
    )


def run_cells(
    shell: GradingShell,
    sanctuary: Sanctuary,
    cells: list[Cell],
    report: Callable[[dict[str, Any]], None],
    capture: FdCapture | None,
    judged: frozenset[int] = frozenset(),
    answer: Callable[[int], None] | None = None,
) -> None:
    """Run ``cells`` in order; ``report`` gets ``{"start": i}`` before and the finished cell's
    record (index, execution count, outputs) after each one. The test cells in ``judged`` are
    not run here: ``answer(i)`` serves the judge while it runs them (:mod:`advpy.grade.judge`),
    and only the judge reports them."""
    for cell in cells:
        if not cell.source.strip():
            continue
        if cell.index in judged and answer is not None:
            SINK.reset()
            answer(cell.index)
            shell.execution_count += 1
            continue
        report({"start": cell.index})
        started, cpu_started = _CLOCK(), _CPU_CLOCK()
        SINK.reset()
        count: int | None
        check_failure = False
        if cell.trusted:
            sanctuary.restore()
            count = shell.execution_count
            check_failure = sanctuary.run(cell.source)
            shell.execution_count += 1
        else:
            outcome = shell.run_cell(cell.source, store_history=True)
            count = outcome.execution_count if outcome is not None else None
        sys.stdout.flush()
        if capture is not None:
            capture.collect()
        report(
            {
                "cell": cell.index,
                "execution_count": count,
                "outputs": SINK.outputs,
                "truncated": SINK.truncated,
                "check_failure": check_failure,
                "seconds": round(_CLOCK() - started, 4),
                "cpu": round(_CPU_CLOCK() - cpu_started, 4),
            }
        )
