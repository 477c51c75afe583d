# %% [markdown]
# # 21 · Scalability, availability, fault tolerance: queues you can measure
#
# "Add more servers" and "make it highly available" sound right in any design discussion.
# Whether they help, and by how much, is arithmetic: a service is a queue, and queues follow
# laws that predict latency from load before anything is built. This lesson first models a
# service under load with a discrete-event simulation (SimPy) and checks the model against its
# formulas; then it runs the same service as real uvicorn processes behind a real nginx, drives
# them with a load generator from this notebook, kills instances in the middle of the load, and
# puts every measurement next to the model's prediction.
#
# **Learning objectives.** By the end you can:
# - **explain** the hockey stick: why latency, and its 99th percentile most of all, grows
#   without bound as utilisation approaches 1, and **check** Little's law (L = λW) on a run;
# - **predict** with the M/M/c model (Erlang C) what more servers, or a faster one, do to the
#   mean and the tail, and **compare** it with uvicorn instances behind nginx, saying where two
#   cores stop the real system from scaling;
# - **compute** the availability of serial and redundant components, in nines and minutes of
#   downtime, and **measure** what health checks, retries and timeouts save when an instance
#   dies or hangs under load;
# - **shed load** with a bounded queue that answers `503` at once, and **compare** it with an
#   unbounded queue under overload;
# - **tell** where state (sessions, caches, the database) stops a service from scaling out.
#
# **Prerequisites:** uvicorn and HTTP as in [20 · API versioning](20_api_versioning.ipynb);
# `async`/`await` ([03 · Generators and async](03_generators_async.ipynb)); nginx as a gateway
# ([12 · Microservices](12_microservices.ipynb)).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import os
import signal
import time

import simpy

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.scalability.load import burst, open_loop
from advpy.lessons.scalability.model import mmc_prediction, simulate, split_prediction, sweep
from advpy.lessons.scalability.plots import plot_hockey_stick, plot_instances
from advpy.lessons.timing import load_note
from advpy.services import nginx_gateway, running_services, serve_app

print(machine_summary())
print(load_note())
print(f"SimPy {simpy.__version__}")
REQUESTS = pick(20_000, 2_000)  # simulated requests per model run
SECONDS = pick(6.0, 1.2)  # seconds of real load per run

# %% [markdown]
# ## 1. A service is a queue
#
# Requests arrive at random, at λ per second on average; one worker serves them one at a time,
# each in a random time of mean 1/μ; a request that finds the worker busy waits its turn. With
# Poisson arrivals and exponential service times this is the **M/M/1 queue**, and its
# **utilisation** ρ = λ/μ is the fraction of time the worker is busy. SimPy simulates it event
# by event: `simulate` (in `advpy.lessons.scalability.model`) is about forty lines of it.
# Here one server is run at utilisations from 10% to 95%, each for the same number of
# requests:

# %%
service_rate = 50.0  # a worker serves 50 requests/s: 20 ms per request on average
levels = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95]
runs = sweep(service_rate, levels, requests=REQUESTS)
for run in runs:
    print(
        f"utilisation {run.utilisation:4.0%}: mean {run.mean_response * 1000:6.1f} ms, "
        f"median {run.p50 * 1000:6.1f} ms, p99 {run.p99 * 1000:7.1f} ms"
    )

# %% [markdown]
# The model has exact answers to compare with: the mean response time of M/M/1 is
# 1/(μ − λ), and the response time is exponential, so its 99th percentile is ln(100) ≈ 4.6
# times the mean:

# %%
formula = [(rho, mmc_prediction(rho * service_rate, service_rate, 1)) for rho in levels]
for (rho, prediction), run in zip(formula, runs, strict=True):
    print(
        f"utilisation {rho:4.0%}: formula mean {prediction.mean_response * 1000:6.1f} ms, "
        f"p99 {prediction.p99 * 1000:7.1f} ms | simulated/formula p99 "
        f"{run.p99 / prediction.p99:.2f}"
    )

# %%
curve = [(x / 100, mmc_prediction(x / 100 * service_rate, service_rate, 1)) for x in range(5, 97)]
fig, ax = plot_hockey_stick(runs, curve)

# %% [markdown]
# **What to notice.** Nothing happens for a long time, then everything happens: by the
# formula, at 50% utilisation a request takes twice its service time on average, at 90% ten
# times, at 95% twenty; the 99th percentile is 4.6 times that again. This is the **hockey
# stick**, and it is why capacity is planned for a target utilisation well below 100% (often
# 50-70%): the last 10% of a server's capacity costs more latency than the first 80%. The
# simulation wanders around the formula at high load, because a queue near saturation
# remembers its past for a long time and a run of a few thousand requests sees only a few long
# busy periods; that noise is itself a lesson about measuring loaded systems.
#
# ### 1.1 Little's law
#
# In any system that is stable, the mean number of requests inside it, L, equals the arrival
# rate λ times the mean time each spends inside, W: **L = λW**. It needs no assumption about
# distributions or the order of service. The simulation measures the three separately (L by
# integrating the count of requests in the system over time):

# %%
run = simulate(0.8 * service_rate, service_rate, requests=REQUESTS, seed=1)
print(f"L, measured over time:      {run.mean_in_system:.3f} requests in the system")
print(f"lambda x W, measured:       {run.arrivals_per_second * run.mean_response:.3f}")
print(
    f"lambda measured {run.arrivals_per_second:.1f}/s, W measured {run.mean_response * 1000:.1f} ms"
)

# %% [markdown]
# **What to notice.** The two numbers agree, from two different measurements: within about 1%
# in a short run (requests still inside when the window closes blur its edges), closer the
# longer the run. Little's law is the most used equation in capacity planning: a service that
# must answer 2,000 requests/s in 50 ms has 100 requests in flight on average, so it needs at
# least 100 concurrent workers, connections or database sessions, whatever the technology.
#
# ### Try it
# A thread pool of 16 threads serves requests that each take 80 ms, all of it waiting on a
# database. What is the most requests per second it can serve? What happens to latency when
# 250 requests/s arrive?
# (Answer: [tryit/21 § 1](../solutions/tryit/21_scalability_availability.md#1-a-thread-pool).)

# %%
# Your experiment here.

# %% [markdown]
# ### 1.2 More servers, or a faster one
#
# Four workers can share **one queue** (M/M/4: a free worker takes the oldest waiting
# request), or each have **their own** queue, with a dispatcher in front that sends each request
# to one of them, at random or in turn (round-robin), without looking at how busy they are.
# The third option is **vertical**: one worker four times as fast. All three have the same
# capacity, 200 requests/s, and get the same load, 160/s (80%):

# %%
setups = {
    "4 servers, one shared queue": dict(servers=4, dispatch="shared"),
    "4 servers, round-robin": dict(servers=4, dispatch="round-robin"),
    "4 servers, random": dict(servers=4, dispatch="random"),
}
for name, setup in setups.items():
    run = simulate(160.0, service_rate, requests=REQUESTS, seed=2, **setup)
    print(f"{name:>28}: mean {run.mean_response * 1000:5.1f} ms, p99 {run.p99 * 1000:6.1f} ms")
run = simulate(160.0, 4 * service_rate, 1, requests=REQUESTS, seed=2)
name = "1 server, 4 times as fast"
print(f"{name:>28}: mean {run.mean_response * 1000:5.1f} ms, p99 {run.p99 * 1000:6.1f} ms")

# %%
formulas = {
    "shared queue (M/M/4)": mmc_prediction(160.0, service_rate, 4),
    "random split (4 x M/M/1)": split_prediction(160.0, service_rate, 4),
    "one fast server (M/M/1)": mmc_prediction(160.0, 4 * service_rate, 1),
}
for name, prediction in formulas.items():
    mean, p99 = prediction.mean_response * 1000, prediction.p99 * 1000
    print(f"formula, {name:>24}: mean {mean:5.1f} ms, p99 {p99:6.1f} ms")

# %% [markdown]
# **What to notice.** At the same capacity and load, the shared queue has a much shorter tail
# than four separate queues: no request waits behind a slow one while another worker is idle.
# Random dispatch is exactly as bad as a single M/M/1 at 80%, as if the other three servers did
# not exist for the tail; round-robin is in between (it spreads arrivals evenly but cannot see
# long service times). A load balancer that looks at the servers (least-outstanding requests,
# or "the power of two choices", the graded set's Part C) gets close to the shared queue.
# One fast server has the best mean of all, because each request's own service is 4 times
# shorter; that is vertical scaling's honest advantage. Its drawbacks are not in this model:
# machines only get so big, the price grows faster than the size, and one server is one point
# of failure (section 4).

# %% [markdown]
# ## 2. The same on real processes
#
# The service in `advpy.lessons.scalability.service` is a small ASGI app. Each uvicorn process
# running it is one worker, like a server of the model: it serves one request at a time and
# queues the others in arrival order. `GET /work?ms=20` holds the worker for 20 ms without using
# the CPU (as a handler waiting on a database does), so the load generator can draw service
# times from the model's distribution. Three instances, each a process of its own, and nginx in
# front of them:

# %%
started = time.perf_counter()
APP = "advpy.lessons.scalability.service:app"
instances = [serve_app(APP, mode="process") for _ in range(3)]
gateway = nginx_gateway({"/": instances[:1]})
print(f"3 uvicorn processes and nginx ready after {time.perf_counter() - started:.1f} s")
print("instances:", [instance.url for instance in instances], "| gateway:", gateway.url)

# %% [markdown]
# The load generator (`open_loop`) sends requests at Poisson times fixed in advance, whether or
# not earlier ones were answered: an **open loop**, as independent users behave. A closed loop
# (N clients, each waiting for its answer before sending again) slows down when the server
# does, so it never builds the queue it claims to measure, a mistake called coordinated
# omission. Latency is counted from the moment a request was *scheduled*. The same load, 40
# requests/s of 20 ms on average, goes through nginx to 1, 2 and 3 instances:

# %%
rate, mean_ms = 40.0, 20.0
measured = []
for count in (1, 2, 3):
    gateway.reload({"/": instances[:count]})
    result = await open_loop(
        [gateway.url], rate, SECONDS, mean_ms=mean_ms, label=f"{count} instance(s)"
    )
    measured.append((count, result))
    print(result.summary())

# %%
shared = [mmc_prediction(rate, 1000 / mean_ms, count) for count, _ in measured]
split = [split_prediction(rate, 1000 / mean_ms, count) for count, _ in measured]
for (count, result), best, worst in zip(measured, shared, split, strict=True):
    print(
        f"{count} instance(s) at {rate / (count * 1000 / mean_ms):.0%}: measured p99 "
        f"{result.latency(0.99) * 1000:5.0f} ms | model p99: shared queue "
        f"{best.p99 * 1000:4.0f} ms, random split {worst.p99 * 1000:4.0f} ms"
    )

# %%
fig, ax = plot_instances(measured, shared, split)

# %% [markdown]
# **What to notice.** One instance at 80% utilisation has the model's long tail; a second one
# cuts it by far more than half, because utilisation falls to 40% and the hockey stick is
# steep; a third helps much less. nginx balances round-robin by default, so the measurements
# should fall between the two model lines, plus a millisecond or two of HTTP, proxy and event
# loop per request. A run of a few seconds holds only a hundred or so requests, so its p99 is
# close to its slowest request and moves from run to run: run the cells again, and in full mode
# (more seconds) the points settle. nginx can also balance by least connections
# (`least_conn`), which is closer to the shared queue.
#
# ### 2.1 Where two cores stop the scaling
#
# The instances scaled here because `/work` waits without using the CPU. `GET /cpu?ms=20`
# computes for its 20 ms instead. Twenty-four such requests sent at once, to 1, 2 and 3
# instances, the same for `/work`:

# %%
makespans = {}
for path in ("/work", "/cpu"):
    for count in (1, 2, 3):
        gateway.reload({"/": instances[:count]})
        seconds = await burst(gateway.url, path=path, requests=24, ms=20)
        makespans[path, count] = seconds
        print(f"{path:>5} on {count} instance(s): 24 x 20 ms in {seconds * 1000:4.0f} ms")
for path in ("/work", "/cpu"):
    gains = [makespans[path, 1] / makespans[path, count] for count in (2, 3)]
    print(f"{path:>5}: speed-up with 2 instances {gains[0]:.2f}, with 3 {gains[1]:.2f}")
print(f"usable cores: {len(os.sched_getaffinity(0))}. {load_note()}")

# %% [markdown]
# **What to notice.** Compare the speed-ups. Waiting work gains with every instance (480 ms
# of service over 3 workers could take 160 ms; HTTP, nginx and the load generator add to it).
# CPU work can gain only up to the cores the machine has: on two cores, a third instance has no
# core of its own, and nginx, the load generator and this notebook need the same two cores. On
# a busy machine (see the load average) every number is slower and noisier, and a third
# process may still gain a little, by taking a larger share of the cores from other programs,
# which is not capacity either. Processes beyond the cores are no horizontal scaling at all:
# the same machine, divided differently. Real horizontal scaling adds machines, and each brings
# its own cores, memory and network.

# %% [markdown]
# ## 3. Load shedding and back-pressure
#
# Above 100% utilisation the queue grows for as long as the overload lasts, and every request
# waits behind all the earlier ones: latency grows without limit, clients time out, retry, and
# add load. A **bounded queue** refuses new work when it is full: the server answers
# `503 Service Unavailable` with `Retry-After` at once, so the requests it does accept are
# served quickly and the refused ones can go elsewhere or come back later. That refusal is
# **back-pressure**: the overload is pushed back to the sender instead of piling up inside.
# `bounded_app` is the same service with a queue of at most 8 waiting requests. Each gets 75
# requests/s of 20 ms: 150% of what one worker can do.

# %%
shedding = serve_app("advpy.lessons.scalability.service:bounded_app", mode="process")
overload = {}
for name, instance in (("unbounded queue", instances[0]), ("bounded queue (8)", shedding)):
    overload[name] = await open_loop(
        [instance.url], 75.0, SECONDS, mean_ms=20.0, label=name, timeout=10.0, seed=3
    )
    print(overload[name].summary())

# %% [markdown]
# **What to notice.** The unbounded queue served every request, but late: at 150% load its
# queue grows by 25 requests (half a second of work) every second, so its latency grows with
# the length of the overload, and a longer overload makes it longer still. The bounded queue
# refused a share of the requests (a third, once its queue is full), each answered quickly, and
# no accepted request had more than 8 ahead of it, whatever the overload's length. Which is
# better depends on the client, but only the bounded queue can stay healthy through a long
# overload: a queue that grows without limit ends in timeouts for everyone, and in running out
# of memory. uvicorn offers a blunt version (`--limit-concurrency`), nginx another
# (`limit_conn`, `limit_req`, lesson 15).

# %% [markdown]
# ## 4. Availability
#
# A component's **availability** is the fraction of time it works. Components a request needs
# one after the other (**serial**: gateway, then service, then database) multiply: the
# system is less available than its weakest part. **Redundant** copies (parallel, any one
# suffices) fail together only if they fail at once: 1 − (1 − a)ⁿ, if their failures are
# independent. Availability is quoted in **nines**:

# %%
for a in (0.99, 0.999, 0.9999, 0.99999):
    minutes = (1 - a) * 365 * 24 * 60
    print(f"{a:.3%} available: {minutes:8.1f} minutes down per year ({minutes / 12:6.1f} a month)")
gateway_a, service_a, database_a = 0.9995, 0.99, 0.9995
serial = gateway_a * service_a * database_a
three = gateway_a * (1 - (1 - service_a) ** 3) * database_a
print(f"gateway, one service instance, database in series: {serial:.4%}")
print(f"the same with three instances of the service:      {three:.4%}")

# %% [markdown]
# Redundancy raised the service's part from 99% to 99.9999%, and the system's availability is
# now set by the parts that are still single (gateway, database). But the formula assumes a
# failed copy is noticed and avoided. Here is what happens when one of three instances is
# killed (`SIGKILL`, as a crash or an out-of-memory kill does) a third of the way through a run
# at 40 requests/s, for three ways of balancing:
#
# - **client-side round-robin**: the load generator sends to the three instances in turn
#   itself, with no health checks and no retries;
# - **nginx, no retries** (`proxy_next_upstream off`): nginx still checks passively (by
#   default a failure takes a server out for 10 s, `max_fails=1 fail_timeout=10s`), but a
#   request that fails is not sent elsewhere;
# - **nginx, retries** (its default, `proxy_next_upstream error timeout`): a request whose
#   upstream fails before answering is sent to the next one.


# %%
def kill(instance):
    """Kill an instance the hard way, as a crash would."""
    os.kill(instance.pid, signal.SIGKILL)


async def killed_run(label, urls):
    """A run during which instance 2 is killed; it is replaced afterwards."""
    victim = instances[2]
    run = await open_loop(
        urls,
        40.0,
        SECONDS,
        mean_ms=20.0,
        label=label,
        timeout=2.0,
        seed=4,
        events=[(SECONDS / 3, lambda: kill(victim))],
    )
    victim.stop()
    instances[2] = serve_app(APP, mode="process")
    return run


# %%
crashes = {}
crashes["client-side round-robin"] = await killed_run(
    "client-side round-robin", [instance.url for instance in instances]
)
no_retry = nginx_gateway({"/": instances}, extra_http="proxy_next_upstream off;")
crashes["nginx, no retries"] = await killed_run("nginx, no retries", [no_retry.url])
no_retry.stop()
gateway.reload({"/": instances})
crashes["nginx, retries"] = await killed_run("nginx, retries", [gateway.url])
for name, run in crashes.items():
    print(f"{name:>24}: {run.failed:3d} of {run.sent} requests failed")

# %% [markdown]
# **What to notice.** Without any health check, a third of every request after the crash went
# to the dead instance and failed, for as long as the run lasted: the redundancy was there and
# bought nothing. nginx without retries lost only what the crash caught: the requests queued
# in the killed process, and the one that found it dead before nginx marked it down. With
# retries, nginx sent those to a live instance and no client saw the crash. Retrying is safe
# here because `GET` is idempotent; nginx does not retry a `POST` unless told to
# (`non_idempotent`), since the first attempt may have done its work before the connection
# broke.
#
# ### 4.1 Slow is worse than dead: timeouts
#
# A crashed process refuses connections at once. A hung one (stuck on a lock, in a long
# garbage collection, on a full disk) accepts connections and never answers, and only a
# **timeout** tells it from a slow one. `SIGSTOP` freezes instance 2 a third of the way
# through the run, first behind nginx with its default 60 s read timeout (the client gives up
# after 2 s), then with `proxy_read_timeout 250ms`, after which nginx retries elsewhere:


# %%
async def frozen_run(label, extra):
    victim = instances[2]
    proxy = nginx_gateway({"/": instances}, extra_http=extra)
    try:
        return await open_loop(
            [proxy.url],
            40.0,
            SECONDS,
            mean_ms=20.0,
            label=label,
            timeout=2.0,
            seed=5,
            events=[(SECONDS / 3, lambda: os.kill(victim.pid, signal.SIGSTOP))],
        )
    finally:
        os.kill(victim.pid, signal.SIGCONT)
        proxy.stop()


hangs = {
    "nginx, 60 s read timeout": await frozen_run("default timeout", ""),
    "nginx, 250 ms read timeout": await frozen_run("short timeout", "proxy_read_timeout 250ms;"),
}
for name, run in hangs.items():
    print(
        f"{name:>26}: {run.failed:3d} of {run.sent} failed, "
        f"p99 of the others {run.latency(0.99) * 1000:5.0f} ms"
    )

# %% [markdown]
# **What to notice.** With the default timeout, every request nginx sent to the frozen process
# hung until the client gave up: a hung instance is worse than a dead one, because nothing
# marks it down. With a short read timeout, those requests cost 250 ms each and were then
# served by another instance: no failures, a longer tail. A timeout must be longer than the
# slowest legitimate answer (here 20 ms on average, rarely over 100 ms) and shorter than what
# the caller will wait. Retries also multiply load: when every layer retries three times, one
# overloaded database sees many times the traffic exactly when it can least take it, so
# production systems cap retries (a retry budget) and space them with jittered exponential
# back-off. Active health checks (a probe every few seconds, `GET /` here) find a hung instance
# without costing a real request; open-source nginx has only the passive kind shown here.

# %% [markdown]
# ## 5. State: what makes scaling out hard
#
# Every instance so far was interchangeable, which is what made adding, removing and retrying
# them free. `GET /visits` keeps a per-client counter in the memory of the process that serves
# it, as an in-process session store or cache does. One client (one `session` cookie) calls it
# six times through nginx:

# %%
gateway.reload({"/": instances})
answers = [gateway.client.get("/visits", headers={"Cookie": "session=ada"}) for _ in range(6)]
for response in answers:
    print(f"instance {response.headers['x-instance']}: visits = {response.json()['visits']}")

# %% [markdown]
# **What to notice.** The client sees its counter go 1, 1, 1, 2, 2, 2: each instance holds a
# third of its history. The same happens to sessions, in-process caches, rate-limit counters
# and uploaded files. The fixes each have a cost:
#
# - **sticky sessions** (nginx `hash $cookie_session`, or `ip_hash`) send a client to the same
#   instance every time: the state is lost when that instance dies, and load is only as even as
#   the clients are;
# - **a shared store** (Redis, lesson 14; the database) makes the instances stateless again and
#   moves the state, and the scaling problem, to the store;
# - **state in the request** (a signed token, lesson 11) needs no store at all, for state that
#   is small and may be read by the client.
#
# The **database** is where state ends up, and it scales differently: reads scale out with
# replicas (that may be behind, lesson 22), writes scale with partitioning (sharding), which
# makes queries across partitions and transactions across them expensive. This is why
# stateless services are scaled out and databases are first scaled up (vertical) for as long
# as a bigger machine exists.

# %% [markdown]
# ### Try it
# With three instances and `hash $cookie_session consistent;` in nginx, what happens to
# the clients of one instance when a fourth is added? And without `consistent`?
# (Answer: [tryit/21 § 2](../solutions/tryit/21_scalability_availability.md#2-a-new-instance).)

# %%
# Your experiment here.

# %%
for service in (gateway, shedding, *instances):
    service.stop()
print("still running:", running_services())

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Averages hide the tail.** The mean at 80% utilisation looks harmless; the p99 is 4.6 times
# it, and a page that makes 20 backend calls waits for the slowest of them: most page views see
# some backend's 95th percentile or worse. Plan and alert on percentiles.
#
# **Closed-loop benchmarks flatter.** A benchmark with N clients that each wait for an answer
# sends less when the server slows down. Its latency numbers leave out exactly the requests that
# would have queued (coordinated omission). Generate load open-loop, count latency from the
# scheduled time.
#
# **Percentiles do not average.** The p99 of a cluster is not the mean of the instances' p99s;
# keep histograms (as Prometheus does) and compute percentiles from the merged counts.
#
# **Redundancy that shares a fate is not redundancy.** 1 − (1 − a)ⁿ assumes independent
# failures. Three instances on one machine, one power supply, one configuration push or one
# bad release fail together; spread copies across failure domains (machines, racks, zones).
#
# **Retry storms.** Retries turn a brief overload into a long one. Cap them, add jittered
# back-off, and make sure only idempotent operations are retried (an idempotency key makes a
# `POST` safe to repeat).
#
# **More workers than cores.** For CPU-bound Python, processes beyond the usable cores only
# add context switches (section 2.1); `os.sched_getaffinity(0)` tells how many this process
# may use, which can be fewer than the machine has (containers, CPU quotas).

# %% [markdown]
# ## Summary
#
# - A service is a queue: latency grows slowly, then without bound as utilisation nears 1 (the
#   hockey stick), and the 99th percentile grows fastest; Little's law L = λW held exactly in
#   the simulation.
# - M/M/c (Erlang C) predicts what adding servers does: one shared queue beats separate queues
#   at the same capacity; a balancer that looks at the servers gets close to it. One fast server
#   has the best mean, and is one point of failure.
# - Real uvicorn instances behind nginx followed the model for waiting work; CPU work stopped
#   scaling at the machine's two cores.
# - A bounded queue that answers `503` at once keeps the accepted requests fast under overload;
#   an unbounded one makes every request late.
# - Serial parts multiply availabilities, redundant ones multiply unavailabilities, but only if
#   failures are detected: without health checks a dead instance kept failing a third of the
#   requests; passive checks and retries hid it; a hung instance needed a timeout.
# - State in an instance's memory breaks scaling out: move it to a shared store, to the client,
#   or pin clients with sticky sessions, and accept each one's cost.
#
# **Graded exercises:** [exercises/ps21_scalability.ipynb](exercises/ps21_scalability.ipynb):
# `mmc` and `servers_needed` plan capacity with Erlang C and Little's law; `availability`,
# `downtime_minutes` and `nines` do the arithmetic of redundancy; `choose_server` is a load
# balancer policy that must keep the p99 of a simulated cluster under a bound.
