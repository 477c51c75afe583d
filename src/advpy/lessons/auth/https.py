"""HTTPS on loopback: a certificate authority and a server certificate made on the spot
(``trustme``), uvicorn serving an app over TLS, and a relay that records every byte passing
through it, to see what someone on the network path sees with HTTP and with HTTPS.

:func:`advpy.services.serve_app` waits for plain HTTP, so the TLS server is started here on
the same uvicorn thread it uses, and is ready when it completes a TLS handshake and answers.
"""

from __future__ import annotations

import socket
import ssl
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx
import trustme
import uvicorn

from advpy.services import LOOPBACK
from advpy.services.asgi import UvicornThread


class Certificates:
    """A new certificate authority, and a certificate it signed for 127.0.0.1 and localhost,
    written as PEM files into a temporary folder."""

    def __init__(self) -> None:
        # Removed when this object is collected or the interpreter exits.
        self._scratch = tempfile.TemporaryDirectory(prefix="advpy-11-tls-")
        self.folder = Path(self._scratch.name)
        self.authority = trustme.CA(organization_name="advpy lesson CA")
        server = self.authority.issue_cert("127.0.0.1", "localhost")
        self.ca_file = self.folder / "ca.pem"
        self.cert_file = self.folder / "server-chain.pem"
        self.key_file = self.folder / "server-key.pem"
        self.authority.cert_pem.write_to_path(str(self.ca_file))
        server.private_key_pem.write_to_path(str(self.key_file))
        with self.cert_file.open("wb") as chain:
            for blob in server.cert_chain_pems:
                chain.write(blob.bytes())

    def client_context(self) -> ssl.SSLContext:
        """A client's TLS settings that trust this authority (and nothing else)."""
        return ssl.create_default_context(cafile=str(self.ca_file))


class HttpsServer:
    """uvicorn serving an ASGI app over TLS on 127.0.0.1, from a thread; a context manager."""

    def __init__(self, app: Any, certificates: Certificates, timeout: float = 10.0) -> None:
        self.certificates = certificates
        config = uvicorn.Config(
            app,
            host=LOOPBACK,
            port=0,
            log_config=None,
            log_level="warning",
            ssl_certfile=str(certificates.cert_file),
            ssl_keyfile=str(certificates.key_file),
        )
        self._backend = UvicornThread(config)
        deadline = time.monotonic() + timeout
        while not self._backend.started:
            if self._backend.poll() is not None or time.monotonic() > deadline:
                self._backend.stop()
                raise RuntimeError(f"uvicorn over TLS did not start:\n{self._backend.read_log()}")
            time.sleep(0.01)
        self.port = self._backend.bound_port()
        self.client = self.connect()
        self.client.get("/")  # ready: a handshake and an answer

    @property
    def url(self) -> str:
        return f"https://{LOOPBACK}:{self.port}"

    def connect(self, base_url: str | None = None, **options: Any) -> httpx.Client:
        """A new client that trusts the lesson's authority (``base_url`` defaults to the
        server's own URL; a relay's URL works too, as the certificate names 127.0.0.1)."""
        return httpx.Client(
            base_url=base_url or self.url,
            verify=self.certificates.client_context(),
            timeout=10,
            **options,
        )

    def stop(self) -> None:
        self.client.close()
        self._backend.stop()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


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
