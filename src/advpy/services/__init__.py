"""Real servers on loopback, started by the notebook and gone when it stops.

Part 2 and 3 lessons talk to the servers a user would run, over real connections: an ASGI
app served by uvicorn, Redis, Memcached, PostgreSQL, NATS with JetStream, nginx as a gateway,
an etcd cluster, Prometheus, and a container engine (podman). Each comes from one function
that starts it and returns a handle, which is also a context manager::

    from advpy.services import (
        container_engine, etcd_cluster, memcached_server, nats_server, nginx_gateway,
        postgres_server, prometheus_server, redis_server, serve_app,
    )

    with serve_app(app) as api:                        # uvicorn, in a thread (or mode="process")
        api.client.get("/users/1").json()
    with redis_server() as cache:
        cache.client.set("k", "v")
    with memcached_server() as cache:
        cache.client.set("k", "v")
    with nats_server() as broker:                      # NATS with JetStream; nats-py is async
        nc = await broker.connect()
    with postgres_server() as db:
        db.client.execute("SELECT 1").fetchone()
    with etcd_cluster(3) as cluster:                  # three etcd members (Raft) on loopback
        cluster.client.put("k", "v")
    with serve_app(app) as api, nginx_gateway({"/": api}) as gateway:
        gateway.client.get("/users/1")
    with serve_app(app, tls=local_certificates()) as api:   # HTTPS, trusted by api.client
        api.client.get("/users/1")
    with serve_app(app) as api, prometheus_server({"api": [api]}) as prom:
        prom.query("up")                               # PromQL over its HTTP API
    with container_engine() as engine:                 # podman + runc, a private image store
        engine.build(folder, "web:1")

Every handle has the same shape: ``host`` and ``port`` (``address`` is both), ``data_dir``
(its temporary folder), ``log_text()`` and ``last_log_lines()``, ``pid`` (None for a thread),
``running`` and ``stop()``; ``url`` and a ready ``client`` where the protocol has them.

What every service promises:

- it listens on 127.0.0.1 only, on a free port, and keeps its data in a temporary folder;
- it is ready when it answers its own protocol (HTTP, Redis ``PING``, Memcached ``version``, a
  PostgreSQL login and ``SELECT 1``), within a timeout; if it exits or the time runs out,
  :class:`ServiceError` carries its last log lines;
- a program that is not installed raises :class:`ServiceNotInstalled`, which says what to
  install (apt-get, Homebrew, or a pip package that ships it);
- nothing outlives the notebook: a server stops at the end of its ``with`` block, on
  ``stop()``, at interpreter exit, and when the notebook's process is killed, through a
  watchdog process (see :mod:`advpy.services.watchdog`).

This package imports nothing else of advpy: lessons and tests use it, it uses none of them.
"""

from advpy.services.asgi import AppServer, serve_app
from advpy.services.containers import ContainerEngine, container_engine
from advpy.services.errors import ServiceError, ServiceNotInstalled
from advpy.services.etcd import EtcdClient, EtcdCluster, EtcdError, etcd_cluster, etcd_server
from advpy.services.lifecycle import LOOPBACK, Service, running_services, stop_all
from advpy.services.memcached import MemcachedServer, memcached_server
from advpy.services.nats import NatsServer, nats_server
from advpy.services.nginx import NginxGateway, nginx_gateway
from advpy.services.postgres import PostgresServer, postgres_server
from advpy.services.prometheus import PrometheusServer, prometheus_server
from advpy.services.redis_server import RedisServer, redis_server
from advpy.services.status import ServiceStatus, status
from advpy.services.stdlib_http import ThreadedLoopbackServer
from advpy.services.tls import Certificates, local_certificates

__all__ = [
    "LOOPBACK",
    "AppServer",
    "Certificates",
    "EtcdClient",
    "EtcdCluster",
    "EtcdError",
    "ContainerEngine",
    "MemcachedServer",
    "NatsServer",
    "NginxGateway",
    "PostgresServer",
    "PrometheusServer",
    "RedisServer",
    "Service",
    "ServiceError",
    "ServiceNotInstalled",
    "ServiceStatus",
    "ThreadedLoopbackServer",
    "etcd_cluster",
    "etcd_server",
    "container_engine",
    "local_certificates",
    "memcached_server",
    "nats_server",
    "nginx_gateway",
    "postgres_server",
    "prometheus_server",
    "redis_server",
    "running_services",
    "serve_app",
    "status",
    "stop_all",
]
