"""advpy.services starts real servers on loopback and leaves nothing behind.

For each server: it starts, a real round trip works (HTTP through httpx, Redis SET/GET, a
PostgreSQL query and a table write, nginx proxying to uvicorn apps), and after ``stop`` its
processes are gone, its port is closed and its folder removed. A failed start says why with the
server's last log lines; a missing program says what to install. Then the promise that matters
most: a notebook killed with SIGKILL (a real Jupyter kernel, and a Python process standing for
one) leaves no server running.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from fastapi import FastAPI, Request, Response

import advpy
from advpy.services import (
    LOOPBACK,
    ServiceError,
    ServiceNotInstalled,
    lifecycle,
    local_certificates,
    nginx_gateway,
    postgres_server,
    programs,
    redis_server,
    running_services,
    serve_app,
    status,
)
from advpy.services.redis_server import answers_ping

ROOT = Path(__file__).resolve().parents[1]

#: A bare ASGI app, importable by a new interpreter (mode="process") from the folder it is in.
APP_MODULE = """
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body = f"{NAME} {scope['path']}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})

NAME = "module-app"
"""


def echo_app(name: str) -> FastAPI:
    """A FastAPI app that says who served a request, which path, and its request id."""
    app = FastAPI()

    @app.get("/{path:path}")
    def anything(path: str, request: Request, response: Response) -> dict[str, str | None]:
        request_id = request.headers.get("x-request-id")
        if request_id is not None:
            response.headers["X-Request-ID"] = request_id  # as services that log it do
        return {"served_by": name, "path": "/" + path, "id": request_id}

    return app


def group_alive(pgid: int) -> list[int]:
    """Processes of the group ``pgid`` that still run (zombies count as gone)."""
    alive = []
    for process in psutil.process_iter(["status"]):
        try:
            if os.getpgid(process.pid) == pgid and process.info["status"] != psutil.STATUS_ZOMBIE:
                alive.append(process.pid)
        except (ProcessLookupError, psutil.Error):
            continue
    return alive


def pid_alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until_gone(pgids: list[int], pids: list[int], seconds: float = 15) -> list[int]:
    """Wait until no process of the groups and none of the pids runs; what is left if not."""
    deadline = time.monotonic() + seconds
    while True:
        left = [p for g in pgids for p in group_alive(g)] + [p for p in pids if pid_alive(p)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def port_closed(port: int) -> bool:
    return not lifecycle.port_is_open(port)


def assert_gone(service, *, pgid: int | None) -> None:
    assert not service.running
    assert port_closed(service.port), f"port {service.port} still answers"
    assert not service.data_dir.exists(), "the data folder was not removed"
    if pgid is not None:
        assert wait_until_gone([pgid], [], seconds=5) == [], "server processes are left"
    assert service not in running_services()


@pytest.fixture
def app_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder holds ``appmod.py``, as a notebook's folder would."""
    (tmp_path / "appmod.py").write_text(APP_MODULE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine without any server program: no folder to look in holds one."""
    monkeypatch.setattr(programs, "candidate_dirs", lambda program: [])


# --- uvicorn ------------------------------------------------------------------------------------


def test_uvicorn_in_a_thread_serves_an_app_defined_here() -> None:
    with serve_app(echo_app("thread")) as server:
        assert server.host == LOOPBACK and server.port > 0 and server.pid is None
        assert server.url == f"http://{LOOPBACK}:{server.port}"
        answer = server.client.get("/hello").json()
        assert answer["served_by"] == "thread" and answer["path"] == "/hello"
        assert httpx.get(server.url + "/again").status_code == 200  # a plain client too
        assert any("Uvicorn running on" in line for line in server.last_log_lines())
        threads = {t.name for t in threading.enumerate()}
        assert "advpy-uvicorn" in threads
        assert server.data_dir.is_dir()  # made on first use, for the app's files
    assert_gone(server, pgid=None)
    assert "Finished server process" in server.log_text()  # the log outlives the server


def test_uvicorn_in_a_process_serves_an_import_string(app_folder: Path) -> None:
    with serve_app("appmod:app", mode="process", access_log=True) as server:
        assert server.pid is not None and server.pid != os.getpid()
        assert server.client.get("/x").text == "module-app /x"
        time.sleep(0.05)  # the access line is written after the answer
        assert any('"GET /x HTTP/1.1" 200' in line for line in server.last_log_lines())
        pid = server.pid
    assert_gone(server, pgid=pid)


def test_uvicorn_serves_https_trusted_by_its_own_client_only(app_folder: Path) -> None:
    certificates = local_certificates()
    with serve_app(echo_app("tls"), tls=certificates) as server:
        assert server.url == f"https://{LOOPBACK}:{server.port}"
        assert server.client.get("/s").json()["path"] == "/s"
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            httpx.get(server.url + "/s")  # the system's authorities do not know this one
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"http://{LOOPBACK}:{server.port}/s")  # plain HTTP is not served
    with serve_app("appmod:app", mode="process", tls=certificates) as server:
        assert server.client.get("/p").text == "module-app /p"
    folder = certificates.folder
    del certificates
    assert not folder.exists(), "the certificates' folder outlived them"


def test_process_mode_needs_an_import_string() -> None:
    with pytest.raises(TypeError, match="import string"):
        serve_app(echo_app("x"), mode="process")


def test_an_app_that_cannot_be_imported_fails_with_uvicorns_words(app_folder: Path) -> None:
    with pytest.raises(ServiceError) as raised:
        serve_app("no_such_module:app", mode="process", timeout=10)
    message = str(raised.value)
    assert "exited with status" in message and "last lines of its log" in message
    assert "no_such_module" in message  # uvicorn's own error, from the log


def test_a_failing_start_up_in_a_thread_shows_the_log() -> None:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        raise RuntimeError("the database is not there")
        yield

    with pytest.raises(ServiceError, match="the database is not there"):
        serve_app(FastAPI(lifespan=lifespan))
    assert not any(t.name == "advpy-uvicorn" and t.is_alive() for t in threading.enumerate())


# --- Redis --------------------------------------------------------------------------------------


def test_redis_set_get_then_stop() -> None:
    with redis_server() as server:
        assert server.url == f"redis://{LOOPBACK}:{server.port}/0"
        assert server.client.set("greeting", "hello")
        assert server.client.get("greeting") == "hello"
        other = server.connect()  # bytes, redis-py's default
        assert other.get("greeting") == b"hello"
        other.close()
        assert "Ready to accept connections" in server.log_text()
        pid = server.pid
        assert pid is not None
        assert (server.data_dir / lifecycle.LOG_NAME).exists()
    assert_gone(server, pgid=pid)


def test_redis_with_a_bad_setting_fails_with_its_log_lines() -> None:
    with pytest.raises(ServiceError) as raised:
        redis_server(settings={"maxmemory-policy": "keep-everything"})
    message = str(raised.value)
    assert "exited with status" in message
    assert "maxmemory-policy" in message  # Redis's own complaint, from its log


def test_a_port_taken_in_between_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind((LOOPBACK, 0))
        taken.listen()
        busy = taken.getsockname()[1]
        ports = iter([busy])
        real = lifecycle.free_port
        monkeypatch.setattr(lifecycle, "free_port", lambda: next(ports, None) or real())
        with redis_server() as server:
            assert server.port != busy
            assert server.client.ping()


def test_redis_missing_says_what_to_install(nothing_installed: None) -> None:
    with pytest.raises(ServiceNotInstalled) as raised:
        redis_server()
    message = str(raised.value)
    assert "Redis is not installed" in message
    assert "apt-get install redis-server" in message and "brew install redis" in message


# --- PostgreSQL ---------------------------------------------------------------------------------


def test_postgres_query_and_table_write_then_stop() -> None:
    import psycopg

    with postgres_server() as db:
        assert db.client.execute("SELECT 1").fetchone() == (1,)
        db.client.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        with db.connect() as connection:  # an explicit transaction, committed at the end
            connection.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ["a", "b"])
        assert db.client.execute("SELECT count(*) FROM notes").fetchone() == (2,)
        assert db.url.startswith(f"postgresql://postgres:{db.password}@{LOOPBACK}:{db.port}/")
        if os.geteuid() == 0:
            assert db.account not in (None, "root")
            owner = psutil.Process(db.pid).username()
            assert owner == db.account, "PostgreSQL must not run as root"
        # TCP needs the password; trust is only for the Unix socket in the 0700 folder
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(host=LOOPBACK, port=db.port, user="postgres", dbname="postgres")
        hba = (db.data_dir / "cluster" / "pg_hba.conf").read_text()
        rules = [line.split() for line in hba.splitlines() if line and not line.startswith("#")]
        trusted = [rule for rule in rules if rule[-1] == "trust"]
        assert trusted and all(rule[0] == "local" for rule in trusted)
        pid = db.pid
        assert pid is not None
        children = psutil.Process(pid).children()
        assert children, "PostgreSQL's background processes"
    assert_gone(db, pgid=pid)


def test_as_root_without_a_postgres_account_one_is_created_and_announced(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Without touching this machine's accounts: useradd and the account database are faked."""
    from types import SimpleNamespace

    from advpy.services import postgres

    accounts: dict[str, SimpleNamespace] = {}
    commands: list[list[str]] = []

    def getpwnam(name: str) -> SimpleNamespace:
        if name not in accounts:
            raise KeyError(name)
        return accounts[name]

    def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        commands.append(command)
        accounts[command[-1]] = SimpleNamespace(pw_name=command[-1], pw_uid=990, pw_gid=990)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(postgres, "_is_root", lambda: True)
    monkeypatch.setattr(postgres.pwd, "getpwnam", getpwnam)
    monkeypatch.setattr(postgres.subprocess, "run", run)
    monkeypatch.setattr(postgres.shutil, "which", lambda name, path=None: f"/usr/sbin/{name}")
    assert "will create the system account" in postgres.account_plan()
    account = postgres.server_account()
    assert account == postgres.Account(postgres.DEDICATED_ACCOUNT, 990, 990)
    (useradd,) = commands
    assert "--system" in useradd and useradd[-1] == postgres.DEDICATED_ACCOUNT
    assert f"created the system account {postgres.DEDICATED_ACCOUNT}" in caplog.text
    assert postgres.server_account() == account and len(commands) == 1  # only once
    monkeypatch.undo()
    if shutil.which("setpriv"):
        prefix = postgres.as_account(account)  # switches user in place, no process between
        assert prefix[0].endswith("setpriv") and "--reuid=990" in prefix and prefix[-1] == "--"


def test_postgres_with_a_bad_setting_fails_with_its_log_lines() -> None:
    with pytest.raises(ServiceError) as raised:
        postgres_server(settings={"no_such_setting": "1"})
    message = str(raised.value)
    assert "exited with status" in message
    assert 'unrecognized configuration parameter "no_such_setting"' in message


def test_postgres_missing_says_what_to_install(nothing_installed: None) -> None:
    with pytest.raises(ServiceNotInstalled) as raised:
        postgres_server()
    message = str(raised.value)
    assert "apt-get install postgresql" in message and "brew install postgresql@" in message
    assert "pip install pgserver" in message


def test_postgres_is_found_in_debians_versioned_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    versioned = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    if not versioned:
        pytest.skip("no Debian PostgreSQL here")
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(programs, "HOMEBREW_PREFIXES", ())  # /usr/local/bin may link to it
    found = programs.find(programs.POSTGRES)
    assert found is not None and found.parent == versioned[-1].parent
    assert programs.companion(found, "initdb").exists()


# --- nginx --------------------------------------------------------------------------------------


def test_nginx_routes_prefixes_to_uvicorn_apps_and_reloads() -> None:
    with serve_app(echo_app("monolith")) as old, serve_app(echo_app("orders")) as new:
        with nginx_gateway({"/orders/": new, "/": old.url}) as gateway:
            assert gateway.url == f"http://{LOOPBACK}:{gateway.port}"
            assert gateway.client.get("/_gateway/health").text == "ok\n"
            order = gateway.client.get("/orders/7").json()
            assert order["served_by"] == "orders" and order["path"] == "/orders/7"
            assert gateway.client.get("/users/1").json()["served_by"] == "monolith"
            sent = gateway.client.get("/users/1", headers={"X-Request-ID": "abc"})
            assert sent.json()["id"] == "abc"
            assert sent.headers.get_list("x-request-id") == ["abc"]  # once, not the service's too
            made = gateway.client.get("/users/1")
            assert made.json()["id"] and made.headers["x-request-id"] == made.json()["id"]
            gateway.reload({"/": old})
            assert gateway.client.get("/orders/7").json()["served_by"] == "monolith"
            pid = gateway.pid
            assert pid is not None
            workers = psutil.Process(pid).children()
            assert workers, "nginx's worker processes"
        assert_gone(gateway, pgid=pid)


def test_nginx_accepts_only_upstreams_on_this_machine() -> None:
    with pytest.raises(ValueError, match="only to servers on this machine"):
        nginx_gateway({"/": "http://192.0.2.10:80"})
    with pytest.raises(ValueError, match="path prefix"):
        nginx_gateway({"orders": "127.0.0.1:8000"})


def test_nginx_with_a_bad_directive_fails_with_its_log_lines() -> None:
    with pytest.raises(ServiceError) as raised:
        nginx_gateway({"/": "127.0.0.1:9"}, extra_http="no_such_directive on;")
    message = str(raised.value)
    assert "exited with status" in message
    assert 'unknown directive "no_such_directive"' in message


def test_nginx_refuses_a_bad_reload_and_keeps_serving() -> None:
    with serve_app(echo_app("app")) as app, nginx_gateway({"/": app}) as gateway:
        with pytest.raises(ServiceError, match="invalid port"):
            gateway.reload({"/": "127.0.0.1:99999"})  # nginx -t refuses it
        with pytest.raises(ValueError):
            gateway.reload({"/": "10.1.2.3:80"})
        assert gateway.client.get("/still").json()["served_by"] == "app"


def test_nginx_missing_says_what_to_install(nothing_installed: None) -> None:
    with pytest.raises(ServiceNotInstalled, match="apt-get install nginx"):
        nginx_gateway({"/": "127.0.0.1:9"})


# --- any server ---------------------------------------------------------------------------------


def test_a_server_that_never_answers_times_out_with_its_log(tmp_path: Path) -> None:
    folder = lifecycle.make_data_dir("test")
    command = ["sh", "-c", "echo starting slowly; exec sleep 60"]
    server = lifecycle.ServerProcess(command, data_dir=folder)
    with pytest.raises(ServiceError) as raised:
        lifecycle.wait_until_ready(server, lambda: False, name="sleeper", timeout=0.3)
    assert "sleeper was not ready within 0.3 s" in str(raised.value)
    assert "starting slowly" in str(raised.value)
    assert wait_until_gone([server.server_pid], [server.watchdog_pid], seconds=5) == []
    lifecycle.discard_data_dir(folder)


def test_status_lists_every_service() -> None:
    found = {s.name: s for s in status()}
    assert set(found) == {
        "uvicorn",
        "redis",
        "postgresql",
        "nginx",
        "memcached",
        "etcd",
        "prometheus",
    }
    for item in found.values():
        assert item.detail.startswith("ready: " if item.ready else "missing: ")


def test_install_hints_agree_with_the_system_packages_list() -> None:
    from advpy import doctor

    listed = {p.debian: p for p in doctor.system_deps().read_list()}
    for program in programs.PROGRAMS:
        assert program.debian in listed, f"{program.service} is not in system-packages.txt"
        assert listed[program.debian].brew == program.brew
        assert any(name in listed[program.debian].detect for name in program.names)


# --- nothing outlives the notebook --------------------------------------------------------------

#: Stands for a notebook: starts every kind of server, one of them from a thread that ends at
#: once, prints what it started, then waits to be killed.
NOTEBOOK = """
import json, signal, sys, threading
signal.signal(signal.SIGINT, lambda *args: None)  # a kernel survives an interrupt
from advpy.services import nginx_gateway, postgres_server, redis_server, serve_app

started = {}
def in_a_thread():
    started["from_thread"] = redis_server()
worker = threading.Thread(target=in_a_thread)
worker.start()
worker.join()  # the thread that started this server has ended

redis = redis_server()
db = postgres_server()
app = serve_app("appmod:app", mode="process")
inline = serve_app("appmod:app")
gateway = nginx_gateway({"/": app, "/inline/": inline})
servers = [redis, db, app, gateway, started["from_thread"]]
print(json.dumps({
    "pids": [s.pid for s in servers],
    "watchdogs": [s.backend.watchdog_pid for s in servers],
    "ports": [s.port for s in servers] + [inline.port],
    "folders": [str(s.data_dir) for s in servers],
    "thread_port": started["from_thread"].port,
}), flush=True)
"""


def start_notebook(folder: Path, code: str) -> tuple[subprocess.Popen[str], dict]:
    """Run ``code`` as a stand-in notebook in ``folder``; what it printed on its first line."""
    (folder / "appmod.py").write_text(APP_MODULE)
    script = folder / "notebook.py"
    script.write_text(code)
    # the advpy under test, wherever it is (a relative PYTHONPATH would not hold in `folder`)
    package_root = str(Path(advpy.__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")]))
    errors = folder / "stderr.txt"
    with open(errors, "w") as stderr:
        notebook = subprocess.Popen(
            [sys.executable, str(script)],
            cwd=folder,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={**os.environ, "PYTHONPATH": path},
            start_new_session=True,  # a group of its own, as Jupyter starts a kernel
        )
    assert notebook.stdout is not None
    line = notebook.stdout.readline()
    notebook.stdout.close()
    if not line:
        notebook.wait()
        pytest.fail(f"the stand-in notebook failed ({notebook.returncode}):\n{errors.read_text()}")
    return notebook, json.loads(line)


def assert_nothing_left(started: dict) -> None:
    left = wait_until_gone(started["pids"], started["watchdogs"])
    assert left == [], f"processes outlived the notebook: {left}"
    for port in started["ports"]:
        assert port_closed(port), f"port {port} still answers"
    for folder in started["folders"]:
        assert not Path(folder).exists(), f"{folder} outlived the notebook"


@pytest.mark.slow
def test_a_killed_notebook_leaves_no_server(tmp_path: Path) -> None:
    notebook, started = start_notebook(tmp_path, NOTEBOOK + "\nimport time; time.sleep(600)\n")
    try:
        time.sleep(0.2)
        # the server started from a thread that has ended is still serving
        assert answers_ping(started["thread_port"])
        for pid in started["pids"]:
            assert os.getpgid(pid) == pid, "each server leads its own process group"
            assert os.getpgid(pid) != os.getpgid(notebook.pid)
        # Jupyter interrupts a kernel by signalling its process group: servers are not in it
        os.killpg(notebook.pid, signal.SIGINT)
        time.sleep(0.2)
        assert wait_until_gone([], started["pids"], seconds=0) == started["pids"]
        assert answers_ping(started["ports"][0])
        os.kill(notebook.pid, signal.SIGKILL)
        notebook.wait()
        assert_nothing_left(started)
    finally:
        notebook.kill()
        notebook.wait()


@pytest.mark.slow
def test_a_notebook_that_exits_without_stopping_leaves_no_server(tmp_path: Path) -> None:
    notebook, started = start_notebook(tmp_path, NOTEBOOK)  # no stop(), no with: atexit
    assert notebook.wait(timeout=60) == 0
    assert_nothing_left(started)


@pytest.fixture
def kernel() -> Iterator[tuple]:
    """A real Jupyter kernel (ipykernel), as a learner's notebook has."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3", startup_timeout=60)
    try:
        yield manager, client
    finally:
        client.stop_channels()
        if manager.is_alive():
            manager.shutdown_kernel(now=True)
        manager.cleanup_resources()


@pytest.mark.slow
def test_a_killed_jupyter_kernel_leaves_no_server(kernel: tuple, tmp_path: Path) -> None:
    manager, client = kernel
    (tmp_path / "appmod.py").write_text(APP_MODULE)
    code = textwrap.dedent(
        f"""
        import json, os
        os.chdir({str(tmp_path)!r})
        from advpy.services import redis_server, serve_app
        cache = redis_server()
        api = serve_app("appmod:app", mode="process")
        inline = serve_app("appmod:app")
        assert api.client.get("/k").text == "module-app /k"
        print(json.dumps({{
            "pids": [cache.pid, api.pid],
            "watchdogs": [cache.backend.watchdog_pid, api.backend.watchdog_pid],
            "ports": [cache.port, api.port, inline.port],
            "folders": [str(cache.data_dir), str(api.data_dir)],
            "kernel": os.getpid(),
        }}))
        """
    )
    printed: list[str] = []

    def collect(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])
        if message["msg_type"] == "error":
            printed.append("\n".join(message["content"]["traceback"]))

    reply = client.execute_interactive(code, timeout=60, output_hook=collect)
    assert reply["content"]["status"] == "ok", "".join(printed)
    started = json.loads("".join(printed))
    os.kill(started["kernel"], signal.SIGKILL)  # what a crash or a forced restart does
    assert_nothing_left(started)
