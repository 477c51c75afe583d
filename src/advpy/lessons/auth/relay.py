"""A relay that records every byte passing through it, to see what someone on the network path
sees with HTTP and with HTTPS. (The HTTPS server itself is :func:`advpy.services.serve_app`
with ``tls=local_certificates()``.)
"""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Self

from advpy.services import LOOPBACK


class RecordingRelay:
    """A TCP relay on 127.0.0.1 that forwards every connection to ``target_port`` and keeps a
    copy of the bytes the clients send: what a router, a Wi-Fi hotspot or anyone else on the
    path sees. A context manager; its threads are daemons and stop with it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.sent = bytearray()
        self._lock = threading.Lock()
        self._listener = socket.create_server((LOOPBACK, 0))
        self.port = self._listener.getsockname()[1]
        self._stopped = False
        threading.Thread(target=self._accept, name="advpy-relay", daemon=True).start()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (use ``https://`` for a TLS server behind it)."""
        return f"http://{LOOPBACK}:{self.port}"

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection((LOOPBACK, self.target_port))
            for source, sink, record in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pump, args=(source, sink, record), daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket, record: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if record:
                    with self._lock:
                        self.sent.extend(chunk)
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def recorded(self) -> bytes:
        """Everything clients have sent through the relay so far."""
        with self._lock:
            return bytes(self.sent)

    def stop(self) -> None:
        self._stopped = True
        self._listener.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
