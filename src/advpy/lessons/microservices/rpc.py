"""The same call between services twice: ``GET /products/{id}`` over REST (JSON over HTTP/1.1,
FastAPI under uvicorn) and ``Catalogue.GetProduct`` over gRPC (protobuf over HTTP/2, grpcio),
each served from a thread of this process, measured the same way.

The ``.proto`` file is compiled when the lesson runs, by ``grpcio-tools``'s bundled ``protoc``,
into a temporary folder that is removed as soon as the two generated modules are loaded: what
``protoc`` writes is visible (:func:`compile_proto` returns the generated source too), and no
generated file needs to be kept in step with the ``.proto`` by hand.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any

import grpc
import httpx
from fastapi import FastAPI, HTTPException
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from advpy.lessons.microservices.shop import PRODUCTS
from advpy.lessons.plotting import COLORS, new_figure

PROTO = """\
syntax = "proto3";

package shop;

// The catalogue, as other services call it.
service Catalogue {
  rpc GetProduct (ProductRequest) returns (Product);
}

message ProductRequest {
  int32 id = 1;
}

message Product {
  int32 id = 1;
  string name = 2;
  int64 price_cents = 3;
}
"""


@dataclass(frozen=True)
class Generated:
    """What ``protoc`` made of :data:`PROTO`: the message and service modules, and the source
    of the service module (the stub and servicer classes it defines)."""

    messages: ModuleType
    services: ModuleType
    services_source: str


_generated: Generated | None = None


def compile_proto() -> Generated:
    """Compile :data:`PROTO` with grpcio-tools into a temporary folder, load the two modules,
    remove the folder. Once per process: protobuf keeps one registry of message types."""
    global _generated
    if _generated is not None:
        return _generated
    from grpc_tools import protoc

    includes = importlib.resources.files("grpc_tools") / "_proto"  # google/protobuf/*.proto
    with tempfile.TemporaryDirectory(prefix="advpy-proto-") as folder:
        (Path(folder) / "catalogue.proto").write_text(PROTO)
        status = protoc.main(
            [
                "protoc",
                f"-I{folder}",
                f"-I{includes}",
                f"--python_out={folder}",
                f"--grpc_python_out={folder}",
                str(Path(folder) / "catalogue.proto"),
            ]
        )
        if status != 0:
            raise RuntimeError(f"protoc failed with status {status}")
        # The service module imports the messages as "catalogue_pb2": load that name first.
        messages = _load("catalogue_pb2", Path(folder) / "catalogue_pb2.py")
        source = (Path(folder) / "catalogue_pb2_grpc.py").read_text()
        services = _load("catalogue_pb2_grpc", Path(folder) / "catalogue_pb2_grpc.py")
    _generated = Generated(messages, services, source)
    return _generated


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def make_rest_catalogue() -> FastAPI:
    """The catalogue's REST twin: ``GET /products/{id}`` answers the same fields as JSON."""
    app = FastAPI(title="catalogue (REST)")

    @app.get("/products/{product_id}")
    async def get_product(product_id: int) -> dict[str, Any]:  # no thread-pool hop per call
        if product_id not in PRODUCTS:
            raise HTTPException(404, "no such product")
        return PRODUCTS[product_id]

    return app


class GrpcCatalogue:
    """The catalogue over gRPC, served by grpcio from a pool of ``workers`` threads on
    127.0.0.1 and a port the system picks; a context manager. ``target`` is its address."""

    def __init__(self, workers: int = 4) -> None:
        generated = compile_proto()
        messages = generated.messages

        class Servicer(generated.services.CatalogueServicer):  # type: ignore[name-defined,misc]
            def GetProduct(self, request: Any, context: grpc.ServicerContext) -> Any:  # noqa: N802
                if request.id not in PRODUCTS:
                    context.abort(grpc.StatusCode.NOT_FOUND, "no such product")  # raises
                return messages.Product(**PRODUCTS[request.id])

        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grpc-catalogue")
        self._server = grpc.server(self._pool)
        generated.services.add_CatalogueServicer_to_server(Servicer(), self._server)
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self.target = f"127.0.0.1:{self.port}"
        self._server.start()
        self.running = True

    def stop(self) -> None:
        """Stop serving at once (calls in flight are cancelled) and end the worker threads."""
        if self.running:
            self._server.stop(grace=None).wait()
            self._pool.shutdown(wait=True)
            self.running = False

    def __enter__(self) -> GrpcCatalogue:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


class Callers:
    """One REST client and one gRPC stub, each with its connection kept open, and a call that
    fetches product 1 through each and returns the name it read."""

    def __init__(self, rest_url: str, grpc_target: str) -> None:
        generated = compile_proto()
        self._request = generated.messages.ProductRequest
        self.http = httpx.Client(base_url=rest_url, timeout=5.0)
        self.channel = grpc.insecure_channel(grpc_target)
        self.stub = generated.services.CatalogueStub(self.channel)

    def rest(self, product_id: int = 1) -> str:
        response = self.http.get(f"/products/{product_id}")
        response.raise_for_status()
        return str(response.json()["name"])

    def grpc(self, product_id: int = 1) -> str:
        return str(self.stub.GetProduct(self._request(id=product_id), timeout=5.0).name)

    def close(self) -> None:
        self.http.close()
        self.channel.close()

    def protocols(self) -> dict[str, Callable[[], str]]:
        return {"REST (JSON, HTTP/1.1)": self.rest, "gRPC (protobuf, HTTP/2)": self.grpc}


@dataclass(frozen=True)
class RpcLatency:
    """Round-trip times of one protocol in seconds, sorted."""

    protocol: str
    median: float
    p99: float
    samples: tuple[float, ...]


def measure_latency(callers: Callers, calls: int, rounds: int = 10) -> list[RpcLatency]:
    """``calls`` sequential calls per protocol, interleaved in ``rounds``; each call must read
    the product's name."""
    protocols = callers.protocols()
    times: dict[str, list[float]] = {name: [] for name in protocols}
    for call in protocols.values():
        call()  # warm up: connect, and for gRPC, open the HTTP/2 stream machinery
    for _ in range(rounds):
        for name, call in protocols.items():
            for _ in range(max(1, calls // rounds)):
                start = time.perf_counter()
                if call() != "keyboard":
                    raise RuntimeError(f"{name}: the wrong product came back")
                times[name].append(time.perf_counter() - start)
    return [
        RpcLatency(
            name,
            statistics.median(samples),
            sorted(samples)[int(0.99 * (len(samples) - 1))],
            tuple(sorted(samples)),
        )
        for name, samples in times.items()
    ]


@dataclass(frozen=True)
class Throughput:
    """Calls per second one protocol sustained with ``threads`` callers at once."""

    protocol: str
    threads: int
    calls: int
    per_second: float


def measure_throughput(callers: Callers, calls: int, threads: int = 4) -> list[Throughput]:
    """``calls`` calls per protocol shared by ``threads`` threads that call as fast as they
    can over the one client (httpx's pool, gRPC's one multiplexed HTTP/2 connection)."""
    records = []
    for name, call in callers.protocols().items():
        each = max(1, calls // threads)
        barrier = threading.Barrier(threads + 1)

        def work(call: Callable[[], str], barrier: threading.Barrier, each: int) -> None:
            barrier.wait()
            for _ in range(each):
                call()

        workers = [
            threading.Thread(target=work, args=(call, barrier, each)) for _ in range(threads)
        ]
        for worker in workers:
            worker.start()
        barrier.wait()
        start = time.perf_counter()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - start
        records.append(Throughput(name, threads, each * threads, each * threads / elapsed))
    return records


def message_sizes() -> dict[str, int]:
    """Bytes of one product's body: JSON as FastAPI writes it, and the protobuf encoding."""
    import json

    messages = compile_proto().messages
    product = PRODUCTS[1]
    return {
        "JSON": len(json.dumps(product, separators=(",", ":")).encode()),
        "protobuf": len(messages.Product(**product).SerializeToString()),
    }


#: One colour per protocol.
PROTOCOL_COLORS = {
    "REST (JSON, HTTP/1.1)": COLORS["before"],
    "gRPC (protobuf, HTTP/2)": COLORS["after"],
}


def plot_latency(records: list[RpcLatency]) -> tuple[Figure, Axes]:
    """The distribution of round-trip times, as cumulative curves cut at the 99th percentile."""
    fig, ax = new_figure(
        "One call for product 1 between two services on loopback",
        "round-trip time (µs)",
        "share of calls answered within it",
    )
    right = 0.0
    for record in records:
        times = [t * 1e6 for t in record.samples]
        shares = [(i + 1) / len(times) for i in range(len(times))]
        color = PROTOCOL_COLORS[record.protocol]
        ax.step(times, shares, where="post", label=record.protocol, color=color)
        right = max(right, record.p99 * 1e6)
    ax.set_xlim(0, right * 1.1)
    ax.set_ylim(0, 1.01)
    ax.legend(loc="lower right")
    return fig, ax


def plot_throughput(records: list[Throughput]) -> tuple[Figure, Axes]:
    """Calls per second of each protocol, as bars."""
    threads = records[0].threads if records else 0
    fig, ax = new_figure(f"Calls per second with {threads} calling threads", "", "calls per second")
    names = [r.protocol for r in records]
    bars = ax.bar(names, [r.per_second for r in records],
                  color=[PROTOCOL_COLORS[n] for n in names])  # fmt: skip
    ax.bar_label(bars, fmt="%.0f")
    return fig, ax
