"""What crosses between the judge and the answering process, and how it is written.

A judged notebook runs in two processes inside the sandbox (see :mod:`advpy.grade.judge`): the
*answering* process runs the learner's cells and answers calls; the *judge* runs the test cells
and decides every verdict. They talk over a socket pair, one message per frame (a 4-byte
length, then the payload), and the two directions are written differently because only one of
them is trusted:

- **judge -> answering** is a pickle. The judge is trusted, so the answering process may unpickle
  what it sends, and pickle carries what tests pass to learner code: plain data, instances of
  the instructor's own classes (a tree of ``TreeNode``\\ s), and references, by persistent id, to
  objects that stay in the judge (a callback, a counting iterator) or in the answering process.
- **answering -> judge** is JSON with tagged containers, read by :func:`decode_value`, which
  builds only exact built-in values (``None``, ``bool``, ``int``, ``float``, ``str``,
  ``bytes``, ``list``, ``tuple``, ``dict``, ``set``, ``frozenset``) and references; nothing in
  a message can name a class, run code, or reach an object of the judge the judge did not hand
  out. Anything that is not exactly one of those values (a subclass of ``list``, a learner's
  object, a generator) crosses as a reference, and the judge works with it through a proxy.

The tags: ``{"l": [...]}`` a list, ``{"t": [...]}`` a tuple, ``{"s": [...]}`` a set,
``{"f": [...]}`` a frozenset, ``{"d": [[key, value], ...]}`` a dict, ``{"b": "base64"}``
bytes, ``{"B": "ValueError"}`` a built-in class, ``{"J": n}`` the judge's object number ``n``,
and ``{"L": n}`` the answering process's (for a class of exceptions, with ``"name"`` and
``"exc"``, the built-in exception classes it derives from, so the judge can catch it).
Scalars are JSON's own (with ``NaN`` and ``Infinity``, as Python writes them).

Standard library only: this module runs on both sides of the boundary.
"""

from __future__ import annotations

import base64
import builtins
import json
import os
import socket
import struct
from collections.abc import Callable
from typing import Any

_FRAME = struct.Struct("<I")
#: The largest message either side accepts, in bytes.
MAX_MESSAGE = 64 * 1024 * 1024
#: Exact types that cross by value, as themselves.
SCALARS = (type(None), bool, int, float, str)
_CONTAINER_TAGS: dict[type, str] = {list: "l", tuple: "t", set: "s", frozenset: "f"}


class WireError(Exception):
    """A message that is not what the protocol allows, or a peer that is gone."""


class PeerGone(WireError):
    """The other process closed its end (it exited, crashed or was killed)."""


# Framing -------------------------------------------------------------------------------------


def send_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one message."""
    sock.sendall(_FRAME.pack(len(payload)) + payload)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise PeerGone("the other process closed the connection")
        chunks += chunk
    return bytes(chunks)


def receive_frame(sock: socket.socket) -> bytes:
    """Wait for one message (a signal handler may interrupt the wait by raising)."""
    (size,) = _FRAME.unpack(_read_exactly(sock, _FRAME.size))
    if size > MAX_MESSAGE:
        raise WireError(f"a message of {size} bytes is larger than the {MAX_MESSAGE} allowed")
    return _read_exactly(sock, size)


def socket_pair() -> tuple[socket.socket, socket.socket]:
    """A connected pair of Unix stream sockets, not inherited across ``exec``."""
    left, right = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    for end in (left, right):
        os.set_inheritable(end.fileno(), False)
    return left, right


# answering -> judge: tagged JSON ----------------------------------------------------------------


def encode_value(value: Any, reference: Callable[[Any], dict[str, Any]]) -> Any:
    """``value`` as tagged JSON data. ``reference(obj)`` gives the tag of anything that does not
    cross by value (it is also used for containers nested too deeply or in a cycle)."""
    return _encode(value, reference, set(), 0)


_MAX_DEPTH = 200


def _encode(
    value: Any, reference: Callable[[Any], dict[str, int]], path: set[int], depth: int
) -> Any:
    kind = type(value)
    if kind in SCALARS:
        return value
    if kind is bytes:
        return {"b": base64.b64encode(value).decode("ascii")}
    tag = _CONTAINER_TAGS.get(kind)
    if (tag is None and kind is not dict) or depth > _MAX_DEPTH or id(value) in path:
        return reference(value)
    path.add(id(value))
    try:
        if kind is dict:
            items = [
                [_encode(k, reference, path, depth + 1), _encode(v, reference, path, depth + 1)]
                for k, v in dict.items(value)
            ]
            return {"d": items}
        if all(type(item) in SCALARS for item in value):
            return {tag: list(value)}
        return {tag: [_encode(item, reference, path, depth + 1) for item in value]}
    finally:
        path.discard(id(value))


def dumps_json(message: dict[str, Any]) -> bytes:
    """A message of tagged values as bytes (lone surrogates escaped, as JSON allows)."""
    return json.dumps(message, separators=(",", ":")).encode("utf-8")


def loads_json(payload: bytes) -> dict[str, Any]:
    """The JSON object ``payload`` holds, or :class:`WireError`."""
    try:
        message = json.loads(payload)
    except (ValueError, RecursionError) as error:
        raise WireError(f"a message is not JSON ({type(error).__name__})") from None
    if type(message) is not dict:
        raise WireError("a message is not a JSON object")
    return message


def decode_value(
    data: Any, learner_ref: Callable[[int, dict[str, Any]], Any], judge_ref: Callable[[int], Any]
) -> Any:
    """The value tagged JSON ``data`` stands for, built from exact built-in types only;
    ``learner_ref(n, tag)`` and ``judge_ref(n)`` give what a reference stands for (the second
    raises :class:`WireError` for a number the judge never handed out)."""
    try:
        return _decode(data, learner_ref, judge_ref)
    except RecursionError:
        raise WireError("a value is nested too deeply") from None
    except TypeError as error:  # an unhashable set member or dict key
        raise WireError(f"a value cannot be built ({error})") from None


def _decode(data: Any, learner_ref: Callable[..., Any], judge_ref: Callable[[int], Any]) -> Any:
    kind = type(data)
    if kind in SCALARS:
        return data
    if kind is dict and "L" in data:
        number = data["L"]
        if type(number) is not int or number < 0:
            raise WireError("a reference is not a number")
        return learner_ref(number, data)
    if kind is not dict or len(data) != 1:
        raise WireError("a value is not tagged as the protocol asks")
    ((tag, body),) = data.items()
    if tag in ("l", "t", "s", "f"):
        if type(body) is not list:
            raise WireError(f"the body of a {tag!r} value is not a list")
        items = [
            item if type(item) in SCALARS else _decode(item, learner_ref, judge_ref)
            for item in body
        ]
        if tag == "l":
            return items
        if tag == "t":
            return tuple(items)
        return set(items) if tag == "s" else frozenset(items)
    if tag == "d":
        if type(body) is not list:
            raise WireError("the body of a dict is not a list")
        result = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise WireError("a dict item is not a [key, value] pair")
            key = _decode(pair[0], learner_ref, judge_ref)
            result[key] = _decode(pair[1], learner_ref, judge_ref)
        return result
    if tag == "b":
        if type(body) is not str:
            raise WireError("bytes are not written as base64 text")
        try:
            return base64.b64decode(body.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise WireError("bytes are not valid base64") from None
    if tag == "J":
        if type(body) is not int or body < 0:
            raise WireError("a reference is not a number")
        return judge_ref(body)
    if tag == "B":
        if type(body) is not str:
            raise WireError("a built-in is not named by text")
        return builtin_class(body)
    raise WireError(f"unknown tag {tag!r:.20}")


def builtin_class(name: str) -> type:
    """The built-in class ``name`` (an exception class, ``int``...); :class:`WireError` for a
    name that is not one."""
    found = getattr(builtins, name, None)
    if not isinstance(found, type):
        raise WireError(f"{name!r:.40} is not a built-in class")
    return found


def field(message: dict[str, Any], name: str, kind: type) -> Any:
    """``message[name]`` if it is exactly of ``kind``, else :class:`WireError`."""
    value = message.get(name)
    if type(value) is not kind:
        raise WireError(f"field {name!r} is missing or not {kind.__name__}")
    return value
