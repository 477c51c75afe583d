"""The answering side of a judged notebook: the process that runs the learner's cells and, at
each test cell, answers the judge's calls instead of running the test itself.

At a test cell this process announces it to the judge (:mod:`advpy.grade.judge`) and serves:
it looks up the names the test uses, calls the learner's functions with the arguments the judge
sends, reads attributes, applies operators, and sends every result back as data
(:mod:`advpy.grade.wire`); an object that cannot cross by value is kept here, numbered, and
the judge gets a reference to it. Objects of the judge that a test hands to learner code (a
callback, a counting iterator) arrive as :class:`JudgeObject`\\ s: using one asks the judge.

Nothing this process sends is believed beyond what it is: a value its code produced. It never
reports a verdict, and the judge checks every message's shape; so whatever learner code does
to this process (rebinding the checks, patching built-ins, digging through ``gc``) changes only
the answers it gives, which is what the tests judge anyway.
"""

from __future__ import annotations

import builtins
import gc
import io
import marshal
import operator
import pickle
import signal
import socket
import sys
import types
from collections.abc import Callable
from typing import Any

from advpy.grade import wire

#: Operators the judge may apply to an answer's objects, by name.
OPERATORS: dict[str, Callable[..., Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
    "matmul": operator.matmul,
    "and": operator.and_,
    "or": operator.or_,
    "xor": operator.xor,
    "lshift": operator.lshift,
    "rshift": operator.rshift,
    "neg": operator.neg,
    "pos": operator.pos,
    "abs": operator.abs,
    "invert": operator.invert,
    "contains": operator.contains,
    "getitem": operator.getitem,
    "setitem": operator.setitem,
    "delitem": operator.delitem,
    "len": len,
    "iter": iter,
    "next": next,
    "bool": bool,
    "hash": hash,
    "repr": repr,
    "str": str,
    "format": format,
    "index": operator.index,
    "int": int,
    "float": float,
    "isinstance": isinstance,
    "issubclass": issubclass,
    "enter": lambda manager: type(manager).__enter__(manager),
    "exit": lambda manager, *details: type(manager).__exit__(manager, *details),
}

#: The most characters of an exception's text sent to the judge.
MAX_ERROR_TEXT = 10_000


class JudgeObject:
    """An object of the judge's that a test handed to learner code: calling it, iterating it or
    reading its public attributes asks the judge."""

    __slots__ = ("_server", "_number")

    def __init__(self, server: AnswerServer, number: int) -> None:
        object.__setattr__(self, "_server", server)
        object.__setattr__(self, "_number", number)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._server.ask("call", self, list(args), kwargs)

    def __iter__(self) -> Any:
        return self._server.ask("iter", self)

    def __next__(self) -> Any:
        return self._server.ask("next", self)

    def __len__(self) -> int:
        return self._server.ask("len", self)  # type: ignore[no-any-return]

    def __contains__(self, item: Any) -> bool:
        return self._server.ask("contains", self, item)  # type: ignore[no-any-return]

    def __getitem__(self, key: Any) -> Any:
        return self._server.ask("getitem", self, key)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._server.ask("getattr", self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("an object handed over by a test cannot be changed")

    def __repr__(self) -> str:
        return f"<an object of the test, number {self._number}>"


def rebuild_instance(name: str) -> Any:
    """An empty instance of the instructor's class ``name`` (defined by a setup cell, so it
    exists here too); pickle then fills in its attributes."""
    namespace = _SERVER.namespace if _SERVER is not None else {}
    cls = namespace.get(name)
    if not isinstance(cls, type):
        raise TypeError(f"the notebook no longer defines the class {name!r}")
    return object.__new__(cls)


def builtin_named(name: str) -> Any:
    """The built-in ``name`` (an exception class, a type, a function)."""
    return getattr(builtins, name)


_SERVER: AnswerServer | None = None


class _Unpickler(pickle.Unpickler):
    def __init__(self, payload: bytes, server: AnswerServer) -> None:
        super().__init__(io.BytesIO(payload))
        self.server = server

    def persistent_load(self, pid: Any) -> Any:
        kind, key = pid
        if kind == "L":
            return self.server.refs[key]
        if kind == "B":
            return builtin_named(key)
        return self.server.judge_object(key)


class AnswerServer:
    """Answers the judge over ``sock``; ``namespace`` is the notebook's (the learner's
    globals)."""

    def __init__(
        self,
        sock: socket.socket,
        namespace: dict[str, Any],
        wrote_to_stderr: Callable[[], bool] = lambda: False,
    ) -> None:
        global _SERVER
        _SERVER = self
        self.sock = sock
        self.namespace = namespace
        #: Whether the test cell running now has written to stderr here (a worker thread that
        #: died, a warning): nbgrader fails such a cell, and so does the judge.
        self.wrote_to_stderr = wrote_to_stderr
        self.refs: dict[int, Any] = {}
        self.numbers: dict[int, int] = {}
        self.judge_objects: dict[int, JudgeObject] = {}
        self.staged: dict[int, tuple[Any, list[tuple[Any, ...]]]] = {}
        #: The built-ins as they were before any learner code ran (a copy: later changes to the
        #: module do not reach it), for the test's own functions.
        self.builtins = dict(builtins.__dict__)
        self.next_request = 0

    # -- values -----------------------------------------------------------------------------

    def reference(self, value: Any) -> dict[str, Any]:
        if type(value) is JudgeObject:
            return {"J": object.__getattribute__(value, "_number")}
        name = getattr(value, "__name__", None) if isinstance(value, type) else None
        if type(name) is str and getattr(builtins, name, None) is value:
            return {"B": name}
        number = self.numbers.get(id(value))
        if number is None or self.refs.get(number) is not value:
            number = len(self.refs)
            self.refs[number] = value
            self.numbers[id(value)] = number
        tag: dict[str, Any] = {"L": number}
        if isinstance(value, type) and issubclass(value, BaseException):
            tag["name"] = str(value.__name__)
            tag["exc"] = [
                kind.__name__
                for kind in value.__mro__
                if getattr(builtins, kind.__name__, None) is kind
            ]
        return tag

    def encode(self, value: Any) -> Any:
        return wire.encode_value(value, self.reference)

    def judge_object(self, number: int) -> JudgeObject:
        found = self.judge_objects.get(number)
        if found is None:
            found = self.judge_objects[number] = JudgeObject(self, number)
        return found

    def send(self, message: dict[str, Any]) -> None:
        wire.send_frame(self.sock, wire.dumps_json(message))

    def receive(self) -> dict[str, Any]:
        message = _Unpickler(wire.receive_frame(self.sock), self).load()
        if type(message) is not dict:
            raise wire.WireError("the judge sent something that is not a message")
        return message

    def describe(self, error: BaseException) -> dict[str, Any]:
        try:
            text = str(error)[:MAX_ERROR_TEXT]
        except BaseException:
            text = ""
        try:
            args = self.encode(tuple(error.args))
        except BaseException:
            args = {"t": []}
        return {"class": self.reference(type(error)), "args": args, "text": text}

    # -- serving ----------------------------------------------------------------------------

    def serve_test(self, index: int) -> None:
        """Announce test cell ``index`` and answer the judge until it has run it.

        The judge stops a call that runs past a test's time limit with an interrupt, as a kernel
        gets one; interrupts are let in only while a request is performed, and one that comes
        too late for its request is dropped, so it never hits the next."""
        _hold_interrupts()
        self.send({"op": "test", "cell": index})
        while True:
            message = self.receive()
            if message.get("op") == "resume":
                _drop_late_interrupts()
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
                return
            self.handle(message)

    def finish(self) -> None:
        """Tell the judge the notebook has run to its end."""
        try:
            self.send({"op": "end"})
        except OSError:
            pass

    def handle(self, message: dict[str, Any]) -> None:
        number = message.get("id")
        try:
            _drop_late_interrupts()
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
            try:
                value = self.perform(message)
            finally:
                _hold_interrupts()
            reply = {"re": number, "value": self.encode(value)}
            reply.update(self._aftermath)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the judge
            reply = {"re": number, "raised": self.describe(error)}
        self.send(reply)

    _aftermath: dict[str, Any] = {}

    def perform(self, message: dict[str, Any]) -> Any:
        self._aftermath = {}
        op = message.get("op")
        if op == "names":
            found = {}
            for name in message["names"]:
                value = self.namespace.get(name, _MISSING)
                if value is not _MISSING:
                    found[name] = value
            return found
        if op == "call":
            return self._call(message)
        if op == "getattr":
            return getattr(message["target"], message["name"])
        if op == "setattr":
            setattr(message["target"], message["name"], message["value"])
            return None
        if op == "delattr":
            delattr(message["target"], message["name"])
            return None
        if op == "op":
            return OPERATORS[message["name"]](*message["operands"])
        if op == "function":
            # A test's own function (advpy.checks.Beside), bound to the notebook's names, as
            # they are now, except that a name of a built-in is always the built-in itself (a
            # learner's `type = ...` or a patched `builtins.len` does not reach the test's code).
            code = marshal.loads(message["code"])
            if not isinstance(code, types.CodeType):
                raise wire.WireError("a test's function without code")
            defaults = message.get("defaults")
            scope = {
                name: value
                for name, value in self.namespace.items()
                if name not in self.builtins and name != "__builtins__"
            }
            scope["__builtins__"] = self.builtins
            return types.FunctionType(
                code, scope, message["name"], defaults if type(defaults) is tuple else None
            )
        if op == "stage":
            number = len(self.staged) + 1
            self.staged[number] = (message["target"], message["batches"])
            return number
        if op == "run":
            target, batches = self.staged.pop(message["staged"])
            collecting = gc.isenabled()
            if message.get("gc") is False:
                gc.disable()
            try:
                with _recursion_limit(message.get("limit")):
                    for args in batches:
                        target(*args)
            finally:
                if collecting:
                    gc.enable()
            return None
        if op == "stderr":
            return self.wrote_to_stderr() is True
        if op == "peak":
            # One staged call with Python's allocations traced here; the judge reads the
            # resident memory of this side from outside around this request as well.
            from advpy.checks import traced_peak

            target, batches = self.staged.pop(message["staged"])
            return traced_peak(lambda: target(*batches[0]))
        raise wire.WireError(f"unknown request {op!r:.40}")

    def _call(self, message: dict[str, Any]) -> Any:
        target, args, kwargs = message["target"], message["args"], message["kwargs"]
        watched = [(i, value, _snapshot(value)) for i, value in enumerate(args)]
        watched += [(key, value, _snapshot(value)) for key, value in kwargs.items()]
        with _recursion_limit(message.get("limit")):
            result = target(*args, **kwargs)
        changed = {}
        for where, value, before in watched:
            if before is not None and _snapshot(value) != before:
                changed[str(where)] = self.encode(value)
        after: dict[str, Any] = {}
        if changed:
            after["changed"] = changed
        for where, value, before in watched:
            if before is not None and result is value:
                after["same_as"] = str(where)
        self._aftermath = after
        return result

    def ask(self, op: str, target: JudgeObject, *operands: Any) -> Any:
        """Ask the judge to use one of its objects; serve its own requests meanwhile."""
        self.next_request += 1
        number = self.next_request
        self.send(
            {
                "id": number,
                "op": op,
                "target": object.__getattribute__(target, "_number"),
                "operands": [self.encode(value) for value in operands],
            }
        )
        while True:
            message = self.receive()
            if "re" not in message:
                self.handle(message)
                continue
            if message["re"] != number:
                continue
            if "raised" in message:
                name, text = message["raised"]
                kind = getattr(builtins, name, None)
                if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                    kind = Exception
                raise kind(text)
            return message.get("value")


_MISSING = object()


def _hold_interrupts() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    _drop_late_interrupts()


def _drop_late_interrupts() -> None:
    while signal.sigtimedwait({signal.SIGINT}, 0) is not None:
        pass


def _snapshot(value: Any) -> Any:
    """What a mutable argument held (by identity of its items), to tell whether a call changed
    it; None for anything not checked."""
    kind = type(value)
    if kind is list:
        return ("list", [id(item) for item in value])
    if kind is dict:
        return ("dict", [(id(k), id(v)) for k, v in value.items()])
    if kind is set:
        return ("set", sorted(id(item) for item in value))
    return None


class _recursion_limit:
    """Run a call under the recursion limit the test set, as it would in the kernel."""

    def __init__(self, limit: Any) -> None:
        self.limit = limit if type(limit) is int and limit > 0 else None

    def __enter__(self) -> None:
        if self.limit is not None:
            self.saved = sys.getrecursionlimit()
            sys.setrecursionlimit(self.limit)

    def __exit__(self, *details: Any) -> None:
        if self.limit is not None:
            sys.setrecursionlimit(self.saved)
