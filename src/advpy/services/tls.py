"""HTTPS on loopback: a certificate authority made on the spot, and a certificate it signed.

::

    certificates = local_certificates()
    with serve_app(app, tls=certificates) as api:      # https://127.0.0.1:PORT
        api.client.get("/")                            # trusts this authority, and only it

The authority exists only in this process: nothing is added to the system's trust store, so
any other client (a browser, ``curl``, ``httpx.get`` with its default settings) refuses the
server's certificate, as it should. The PEM files live in a temporary folder removed when the
object is collected or the interpreter exits.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
import weakref
from pathlib import Path


class Certificates:
    """A new certificate authority, and a certificate it signed for 127.0.0.1 and localhost,
    written as PEM files: ``ca_file`` (the authority), ``cert_file`` (the server's chain) and
    ``key_file`` (the server's private key)."""

    def __init__(self) -> None:
        import trustme

        self.folder = Path(tempfile.mkdtemp(prefix="advpy-tls-"))
        weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)
        self.authority = trustme.CA(organization_name="advpy local CA")
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

    def server_options(self) -> dict[str, str]:
        """uvicorn's keywords that serve with this certificate."""
        return {"ssl_certfile": str(self.cert_file), "ssl_keyfile": str(self.key_file)}


def local_certificates() -> Certificates:
    """A new authority and a certificate for 127.0.0.1 signed by it (see :class:`Certificates`)."""
    return Certificates()
