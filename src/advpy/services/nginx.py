"""Real nginx as a gateway (a reverse proxy) in front of servers on this machine::

    with serve_app(monolith) as old, serve_app(orders) as new:
        with nginx_gateway({"/orders/": new, "/": old}) as gateway:
            gateway.client.get("/orders/7")        # answered by `new`, through nginx
            gateway.reload({"/": old})             # every path to the monolith again

``routes`` maps a path prefix to the upstream(s) that serve it: a handle of this package, an
address (``"127.0.0.1:8001"`` or ``"http://127.0.0.1:8001"``), or a list of them, which nginx
balances round-robin and skips while one fails. The longest matching prefix wins, as in nginx;
the path is passed on unchanged. Only addresses on this machine are accepted.

The configuration is written to the gateway's temporary folder, which also holds nginx's pid
file and temporary files; nothing outside it is read or written (``-p`` prefix, ``-e stderr``,
``daemon off``). It also:

- answers ``GET /_gateway/health`` itself (200 "ok"), which is how readiness is checked and how
  a load balancer in front of it would check it, without touching the upstreams;
- passes ``X-Request-ID`` on (nginx makes one when the request has none), so one id follows a
  request across services, and ``X-Forwarded-For`` / ``X-Forwarded-Proto``;
- keeps idle connections to the upstreams open (``keepalive``), as a production gateway does.

:meth:`NginxGateway.reload` rewrites the routes and sends nginx ``SIGHUP``: the master checks
the new configuration, starts new workers, and lets the old ones finish their requests, so a
route changes without dropping one. As root, nginx's workers run as ``nobody``; the folder is
then left passable (mode 0711) so they can reach their temporary files.
"""

from __future__ import annotations

import ipaddress
import os
import re
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from advpy.services import lifecycle, programs
from advpy.services.errors import ServiceError
from advpy.services.lifecycle import LOOPBACK, ServerProcess, Service
from advpy.services.web import HttpService, answers_http

#: Where the gateway answers for itself.
HEALTH_PATH = "/_gateway/health"
#: The configuration file, in the gateway's folder.
CONFIG_NAME = "nginx.conf"
#: What nginx's master logs (at "notice") as it starts and reaps workers: reloads are followed
#: through these lines.
WORKER_STARTED = re.compile(r"start worker process (\d+)")
WORKER_EXITED = re.compile(r"worker process (\d+) exited")

#: An upstream: a handle of this package, or "host:port" / "http://host:port" on this machine.
Upstream = str | Service
#: Path prefix -> the upstream, or the upstreams balanced round-robin, that serve it.
Routes = Mapping[str, Upstream | Sequence[Upstream]]


def _address(upstream: Upstream) -> str:
    """``host:port`` of an upstream, refused unless it is on this machine."""
    if isinstance(upstream, Service):
        return f"{upstream.host}:{upstream.port}"
    text = re.sub(r"^https?://", "", upstream.strip()).rstrip("/")
    match = re.fullmatch(r"(\[[0-9a-fA-F:]+\]|[^:/\[\]]+):(\d+)", text)
    if match is None:
        raise ValueError(f"an upstream is host:port or http://host:port, not {upstream!r}")
    host = match.group(1).strip("[]")
    try:
        on_this_machine = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        on_this_machine = False
    if not on_this_machine:
        raise ValueError(
            f"the gateway proxies only to servers on this machine (127.0.0.0/8, ::1, "
            f"localhost), not to {upstream!r}"
        )
    return text


def _upstreams(value: Upstream | Sequence[Upstream]) -> list[str]:
    if isinstance(value, (str, Service)):
        return [_address(value)]
    addresses = [_address(item) for item in value]
    if not addresses:
        raise ValueError("a route needs at least one upstream")
    return addresses


def render_config(
    routes: Routes, *, port: int, folder: Path, user: str | None, extra_http: str = ""
) -> str:
    """The text of ``nginx.conf`` for ``routes``, listening on 127.0.0.1:``port``."""
    if not routes:
        raise ValueError("routes is empty: give at least one prefix, such as {'/': app}")
    blocks = []
    locations = []
    for number, (prefix, value) in enumerate(routes.items()):
        if not prefix.startswith("/") or any(c in prefix for c in " ;{}\"'"):
            raise ValueError(f"a route is a path prefix such as '/orders/', not {prefix!r}")
        servers = "\n".join(f"        server {address};" for address in _upstreams(value))
        blocks.append(f"    upstream route_{number} {{\n{servers}\n        keepalive 16;\n    }}")
        locations.append(
            f"        location {prefix} {{\n"
            f"            proxy_pass http://route_{number};\n"
            "        }"
        )
    user_line = f"user {user};\n" if user else ""
    return f"""# Written by advpy.services for one gateway; removed when it stops.
{user_line}daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log stderr notice;
events {{
    worker_connections 512;
}}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    # One request id across services: the caller's, or a new one.
    map $http_x_request_id $gateway_request_id {{
        default $http_x_request_id;
        "" $request_id;
    }}
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Request-ID $gateway_request_id;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $scheme;
    # The caller sees the id once: the gateway's copy, not also the service's echo of it.
    proxy_hide_header X-Request-ID;
    add_header X-Request-ID $gateway_request_id always;
{extra_http}
{chr(10).join(blocks)}
    server {{
        listen {LOOPBACK}:{port};
        location = {HEALTH_PATH} {{
            default_type text/plain;
            return 200 "ok\\n";
        }}
{chr(10).join(locations)}
    }}
}}
"""


def _worker_user() -> str | None:
    """As root, nginx's workers drop to ``nobody``: say so with its own group."""
    if getattr(os, "geteuid", lambda: -1)() != 0:
        return None  # the directive means nothing unless the master runs as root
    import grp
    import pwd

    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return None
    return f"nobody {grp.getgrgid(entry.pw_gid).gr_name}"


class NginxGateway(HttpService):
    """A running nginx gateway: its URL, a ready ``httpx.Client``, its log, and :meth:`reload`."""

    kind = "nginx"

    def __init__(
        self, process: ServerProcess, *, port: int, program: Path, extra_http: str, routes: Routes
    ) -> None:
        super().__init__(process, host=LOOPBACK, port=port)
        self.program = str(program)
        self.process = process
        self.config_path = process.data_dir / CONFIG_NAME
        self.routes = dict(routes)
        self._extra_http = extra_http

    def workers(self) -> set[int]:
        """The process ids of the workers nginx runs now, as its log tells."""
        text = self.log_text()
        started = {int(pid) for pid in WORKER_STARTED.findall(text)}
        return started - {int(pid) for pid in WORKER_EXITED.findall(text)}

    def reload(self, routes: Routes, *, timeout: float = 10.0) -> None:
        """Serve ``routes`` from now on, without dropping a request: the new configuration is
        checked first (:class:`ServiceError` with nginx's words if it is wrong, and the old one
        stays), then nginx starts new workers and lets the old ones finish their requests.

        Returns once the new workers run and the old ones have ended (or, if an old worker is
        still finishing a long request after ``timeout`` seconds, once the new ones run)."""
        text = render_config(
            routes,
            port=self.port,
            folder=self.data_dir,
            user=_worker_user(),
            extra_http=self._extra_http,
        )
        candidate = self.data_dir / "nginx.next.conf"
        candidate.write_text(text)
        _check_config(Path(self.program), candidate, self.data_dir)
        old = self.workers()
        candidate.replace(self.config_path)
        assert self.pid is not None
        os.kill(self.pid, signal.SIGHUP)
        deadline = time.monotonic() + timeout
        while True:
            now = self.workers()
            if now - old and not now & old:
                break  # new workers serve, the old ones are gone
            if time.monotonic() > deadline:
                if now - old:
                    break  # an old worker still finishes a request; the new routes serve
                raise ServiceError(
                    f"nginx did not start workers with the new routes within {timeout:g} s",
                    self.last_log_lines(),
                    self.log_path,
                )
            if not self.running:
                raise ServiceError("nginx stopped during a reload", self.last_log_lines())
            time.sleep(0.005)
        self.routes = dict(routes)


def _check_config(program: Path, config: Path, folder: Path) -> None:
    """``nginx -t``: refuse a configuration nginx would refuse, with its own words."""
    done = subprocess.run(
        [str(program), "-t", "-q", "-p", str(folder), "-c", str(config), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        raise ServiceError(
            f"nginx refused the configuration {config}",
            lifecycle.tail(done.stdout + done.stderr, 20),
        )


def nginx_gateway(routes: Routes, *, extra_http: str = "", timeout: float = 10.0) -> NginxGateway:
    """Start nginx on 127.0.0.1 and a free port, proxying each path prefix of ``routes`` to its
    upstream(s); returns the handle once nginx answers its health check.

    ``extra_http`` is added inside the ``http { }`` block (``"proxy_read_timeout 2s;"``, a
    ``log_format``...). Use the handle in a ``with`` block, or call ``stop()``; it also stops at
    interpreter exit and when the process is killed.
    """
    user = _worker_user()
    render_config(routes, port=0, folder=Path("/"), user=user, extra_http=extra_http)  # checks
    program = programs.locate(programs.NGINX)
    data_dir = lifecycle.make_data_dir("nginx")
    if user is not None:
        data_dir.chmod(0o711)  # workers running as nobody pass through to their temp folders
    config = data_dir / CONFIG_NAME

    def start(port: int) -> ServerProcess:
        config.write_text(
            render_config(routes, port=port, folder=data_dir, user=user, extra_http=extra_http)
        )
        command = [str(program), "-p", str(data_dir), "-c", str(config), "-e", "stderr"]
        # SIGQUIT would wait for open connections; SIGTERM is nginx's fast shutdown.
        return ServerProcess(command, data_dir=data_dir, stop_signal=signal.SIGTERM)

    try:
        process, port = lifecycle.start_on_free_port(
            start,
            lambda port: answers_http(port, HEALTH_PATH),
            name=f"nginx ({program})",
            timeout=timeout,
        )
    except BaseException:
        lifecycle.discard_data_dir(data_dir)
        raise
    return NginxGateway(process, port=port, program=program, extra_http=extra_http, routes=routes)
