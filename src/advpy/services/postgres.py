"""A real PostgreSQL server on loopback, in a fresh cluster of its own, with a ready client::

    with postgres_server() as db:
        db.client.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text)")
        db.client.execute("INSERT INTO notes (body) VALUES (%s)", ["hello"])
        db.client.execute("SELECT body FROM notes").fetchall()   # [('hello',)]
        db.url        # 'postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres'

How it runs, and why:

- ``initdb`` makes a new cluster in the temporary data folder, then ``postgres`` runs in the
  foreground behind the watchdog (not ``pg_ctl start``, which would leave it running on its own).
  Both come from the same folder: Debian keeps them in ``/usr/lib/postgresql/<major>/bin``.
- **Not as root.** PostgreSQL refuses to run as root. When the notebook runs as root (CI and
  many containers do), the server runs as an unprivileged account: the ``postgres`` account that
  Debian's package creates, or else a dedicated system account, created once with ``useradd``
  and announced in a warning. The data folder is given to that account, and ``setpriv``
  switches to it in place, so the server stays the watchdog's own child (``runuser`` would fork
  and sit between them).
- **Authentication.** Connections over TCP, which only 127.0.0.1 accepts, need the password
  (``scram-sha-256``), a random one per server, in :attr:`PostgresServer.url`. ``trust`` is used
  only for the Unix socket, which lives in the server's own 0700 data folder.
- **A user without a name.** ``initdb`` looks its user up in the password database and stops
  when the user id has no entry, as in a sandbox that runs code under a bare numeric id (the
  course's grader does). Then ``initdb`` and the server run with ``nss_wrapper`` (Debian's
  ``libnss-wrapper``) preloaded, which reads a one-line password file in the data folder that
  names the user ``postgres``.
- ``fsync=off``: the data lives as long as the server, so waiting for the disk buys nothing;
  pass ``settings={"fsync": "on"}`` to measure what durability costs.
"""

from __future__ import annotations

import glob
import logging
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advpy.services import lifecycle, programs
from advpy.services.errors import ServiceError
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service

if TYPE_CHECKING:
    import psycopg

log = logging.getLogger("advpy.services")

#: The account PostgreSQL runs as under root when the system has no ``postgres`` account.
DEDICATED_ACCOUNT = "advpy-postgres"
#: Accounts tried, in order, when the notebook runs as root.
ACCOUNTS = ("postgres", DEDICATED_ACCOUNT)
SUPERUSER = "postgres"
DATABASE = "postgres"


@dataclass(frozen=True)
class Account:
    """The unprivileged account a server runs as."""

    name: str
    uid: int
    gid: int


def _is_root() -> bool:
    return getattr(os, "geteuid", lambda: -1)() == 0


def _create_dedicated_account() -> Account:
    useradd = shutil.which("useradd") or shutil.which("useradd", path="/usr/sbin:/sbin")
    if useradd is None or not sys.platform.startswith("linux"):
        raise ServiceError(
            "PostgreSQL refuses to run as root, this system has no `postgres` account, and "
            f"the account {DEDICATED_ACCOUNT} cannot be created here (no useradd). Run the "
            "notebook as a normal user, or create an unprivileged account named postgres."
        )
    command = [
        useradd,
        "--system",
        "--user-group",
        "--no-create-home",
        "--home-dir",
        "/nonexistent",
        "--shell",
        "/usr/sbin/nologin",
        "--comment",
        "advpy course: runs PostgreSQL servers started as root",
        DEDICATED_ACCOUNT,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        raise ServiceError(
            f"PostgreSQL refuses to run as root, and creating the account {DEDICATED_ACCOUNT} "
            f"failed: {done.stderr.strip() or done.returncode}"
        )
    log.warning(
        "advpy.services created the system account %s to run PostgreSQL: PostgreSQL refuses "
        "to run as root, and this system has no postgres account. Remove it with "
        "`userdel %s` when the course is over.",
        DEDICATED_ACCOUNT,
        DEDICATED_ACCOUNT,
    )
    entry = pwd.getpwnam(DEDICATED_ACCOUNT)
    return Account(entry.pw_name, entry.pw_uid, entry.pw_gid)


def server_account() -> Account | None:
    """The account PostgreSQL runs as: None (this user) unless this process is root; as root,
    the ``postgres`` account, else the dedicated one, created now if needed (with a warning)."""
    if not _is_root():
        return None
    for name in ACCOUNTS:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid != 0:
            return Account(entry.pw_name, entry.pw_uid, entry.pw_gid)
    return _create_dedicated_account()


def account_plan() -> str:
    """Which account PostgreSQL will run as, in words, creating nothing (for ``advpy doctor``)."""
    if not _is_root():
        return "runs as this user"
    for name in ACCOUNTS:
        try:
            if pwd.getpwnam(name).pw_uid != 0:
                return f"runs as the account {name} (this process is root)"
        except KeyError:
            continue
    return f"will create the system account {DEDICATED_ACCOUNT} on first start (this is root)"


@cache
def _setpriv_has_pdeathsig(setpriv: str) -> bool:
    done = subprocess.run([setpriv, "--help"], capture_output=True, text=True, check=False)
    return "--pdeathsig" in done.stdout


def as_account(account: Account | None, stop_signal: int = signal.SIGINT) -> list[str]:
    """The words that run a command as ``account`` in place (none for this user)."""
    if account is None:
        return []
    setpriv = shutil.which("setpriv") or shutil.which("setpriv", path="/usr/bin:/bin")
    if setpriv is not None:
        words = [setpriv, f"--reuid={account.uid}", f"--regid={account.gid}", "--init-groups"]
        if _setpriv_has_pdeathsig(setpriv):
            # Changing the user clears a parent-death signal: set it again after the change.
            words.append(f"--pdeathsig={signal.Signals(stop_signal).name}")
        return [*words, "--"]
    runuser = shutil.which("runuser") or shutil.which("runuser", path="/usr/sbin:/sbin")
    if runuser is not None:
        return [runuser, "-u", account.name, "--"]
    raise ServiceError(
        f"PostgreSQL must run as {account.name}, and neither setpriv nor runuser is here "
        "(apt-get install util-linux)"
    )


#: Where systems keep nss_wrapper's library (Debian: libnss-wrapper; a multiarch folder first).
NSS_WRAPPER_PATTERNS = (
    "/usr/lib/*/libnss_wrapper.so",
    "/usr/lib64/libnss_wrapper.so",
    "/usr/lib/libnss_wrapper.so",
    "/usr/local/lib/libnss_wrapper.so",
)


def _has_name(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def nss_wrapper_library() -> str | None:
    """The path of nss_wrapper's library, or None when it is not installed."""
    for pattern in NSS_WRAPPER_PATTERNS:
        found = sorted(glob.glob(pattern))
        if found:
            return found[0]
    return None


def identity_env(account: Account | None, data_dir: Path) -> dict[str, str] | None:
    """The environment ``initdb`` and the server need when they run under a user id that has
    no entry in the password database (None when it has one): nss_wrapper preloaded, with a
    password and a group file in ``data_dir`` that name the id ``postgres``."""
    if account is not None or not hasattr(os, "geteuid"):
        return None
    uid, gid = os.geteuid(), os.getegid()
    if _has_name(uid):
        return None
    library = nss_wrapper_library()
    if library is None:
        raise ServiceError(
            f"this process runs as user id {uid}, which has no name in the password database, "
            "and initdb refuses to run without one. Install nss_wrapper, which gives it a name "
            "(Debian/Ubuntu: `apt-get install libnss-wrapper`), or run as a named user."
        )
    passwd = data_dir / "nss-passwd"
    group = data_dir / "nss-group"
    passwd.write_text(f"{SUPERUSER}:x:{uid}:{gid}:PostgreSQL:{data_dir}:/bin/false\n")
    group.write_text(f"{SUPERUSER}:x:{gid}:\n")
    return {
        **os.environ,
        "LD_PRELOAD": library,
        "NSS_WRAPPER_PASSWD": str(passwd),
        "NSS_WRAPPER_GROUP": str(group),
    }


def _give_to(account: Account | None, path: Path) -> None:
    if account is not None:
        os.chown(path, account.uid, account.gid)


def _check_reachable(account: Account | None, data_dir: Path) -> None:
    if account is None:
        return
    for parent in data_dir.parents:
        if not os.stat(parent).st_mode & stat.S_IXOTH:
            raise ServiceError(
                f"PostgreSQL runs as {account.name}, which cannot reach its data folder "
                f"{data_dir}: {parent} is closed to other users. Set TMPDIR to a folder "
                "others can pass through, such as /tmp."
            )


def _run_initdb(
    initdb: Path,
    account: Account | None,
    data_dir: Path,
    password: str,
    env: Mapping[str, str] | None = None,
) -> Path:
    cluster = data_dir / "cluster"
    password_file = data_dir / "initdb-password"
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    _give_to(account, password_file)
    command = [
        *as_account(account),
        str(initdb),
        "--pgdata",
        str(cluster),
        "--username",
        SUPERUSER,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        f"--pwfile={password_file}",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",  # a throw-away cluster: no need to wait for the disk
    ]
    log_path = data_dir / lifecycle.LOG_NAME
    try:
        with open(log_path, "ab") as log_file:
            done = subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log_file,
                stderr=subprocess.STDOUT,
                cwd=data_dir,
                env=env,
                timeout=120,
                check=False,
            )
    finally:
        password_file.unlink(missing_ok=True)
    if done.returncode != 0:
        text = log_path.read_text(errors="replace")
        raise ServiceError(
            f"initdb ({initdb}) failed with status {done.returncode}",
            lifecycle.tail(text, 20),
            log_path,
        )
    return cluster


def _connection_options(port: int, password: str) -> dict[str, Any]:
    return {
        "host": LOOPBACK,
        "port": port,
        "user": SUPERUSER,
        "password": password,
        "dbname": DATABASE,
    }


def accepts_queries(port: int, password: str) -> bool:
    """True when the server on ``port`` accepts a login and answers ``SELECT 1``."""
    import psycopg

    options = _connection_options(port, password)
    with psycopg.connect(**options, connect_timeout=2) as connection:
        return connection.execute("SELECT 1").fetchone() == (1,)


class PostgresServer(Service):
    """A running PostgreSQL server: its address, URL, log, and a ready client."""

    kind = "PostgreSQL"

    def __init__(
        self,
        process: ServerProcess,
        *,
        port: int,
        password: str,
        program: str,
        account: Account | None,
    ) -> None:
        super().__init__(process, host=LOOPBACK, port=port)
        self.user = SUPERUSER
        self.password = password
        self.database = DATABASE
        self.program = program
        #: The operating-system account the server runs as; None: the notebook's own.
        self.account = account.name if account is not None else None
        self._client: psycopg.Connection[Any] | None = None

    @property
    def url(self) -> str:
        """``postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres``: psycopg and libpq take it
        as it is; SQLAlchemy takes it with ``postgresql+psycopg://`` in front."""
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.database}"

    @property
    def client(self) -> psycopg.Connection[Any]:
        """A connection in autocommit mode: each statement is its own transaction (made on
        first use, closed at stop). Use :meth:`connect` for explicit transactions."""
        if self._client is None or self._client.closed:
            self._client = self.connect(autocommit=True)
        return self._client

    def connect(self, **options: Any) -> psycopg.Connection[Any]:
        """A new psycopg connection (``options`` such as ``autocommit`` go to ``connect``)."""
        import psycopg

        return psycopg.connect(**_connection_options(self.port, self.password), **options)

    def _close_clients(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def postgres_server(
    *, settings: Mapping[str, str] | None = None, timeout: float = 30.0
) -> PostgresServer:
    """Make a new cluster and start PostgreSQL on 127.0.0.1 and a free port; returns its handle
    once it answers ``SELECT 1``.

    ``settings`` are extra server settings (``{"work_mem": "64MB"}``), given as ``-c`` options.
    Use the handle in a ``with`` block, or call ``stop()``; it also stops at interpreter exit and
    when the process is killed, and its cluster is deleted then.
    """
    program = programs.locate(programs.POSTGRES)
    initdb = programs.companion(program, "initdb")
    account = server_account()
    password = secrets.token_urlsafe(18)
    data_dir = lifecycle.make_data_dir("postgres")
    options = {
        "listen_addresses": LOOPBACK,
        "unix_socket_directories": str(data_dir),
        "fsync": "off",
        **(settings or {}),
    }
    try:
        _give_to(account, data_dir)
        _check_reachable(account, data_dir)
        env = identity_env(account, data_dir)
        cluster = _run_initdb(initdb, account, data_dir, password, env)

        def start(port: int) -> ServerProcess:
            command = [*as_account(account), str(program), "-D", str(cluster), "-p", str(port)]
            for name, value in options.items():
                command += ["-c", f"{name}={value}"]
            # SIGINT is PostgreSQL's "fast" shutdown: end the sessions, then stop.
            return ServerProcess(
                command, data_dir=data_dir, stop_signal=signal.SIGINT, grace=10, env=env
            )

        process, port = lifecycle.start_on_free_port(
            start,
            lambda port: accepts_queries(port, password),
            name=f"PostgreSQL ({program})",
            timeout=timeout,
        )
    except BaseException:
        lifecycle.discard_data_dir(data_dir)
        raise
    return PostgresServer(
        process, port=port, password=password, program=str(program), account=account
    )
