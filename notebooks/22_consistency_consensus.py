# %% [markdown]
# # 22 · Consistency and consensus: what replicas promise, and how they agree
#
# As soon as data lives on more than one machine, "read the latest value" stops being obvious:
# a replica may not have heard of a write yet, two clients may see two writes in two orders,
# and the machine that orders everything may crash in the middle. **Consistency models** say
# precisely which answers a system may give; **consensus** is how a group of machines agrees on
# one order of operations despite crashes and a lossy network. This lesson checks histories
# against five models, counts stale reads in a quorum simulation, steps through Raft message by
# message, and then kills the leader of a real three-node etcd cluster (Raft in production)
# while it takes writes.
#
# **Learning objectives.** By the end you can:
# - **decide** whether a history of reads and writes is linearizable, sequential, causal,
#   read-your-writes or eventually consistent, and **explain** what each model allows;
# - **predict** from N, R and W whether quorum reads can be stale, and what R and W cost;
# - **trace** Raft's leader election and log replication, and **state** the two rules that
#   keep it safe (one vote per term; only up-to-date candidates win; logs cut only at a
#   conflict);
# - **measure** election time, write availability and durability when a real etcd leader dies;
# - **state** the FLP and CAP results precisely, and **compare** Raft with Paxos.
#
# **Prerequisites:** threads and processes; HTTP and JSON; the services of
# [11 · Authentication](11_auth.ipynb) (how `advpy.services` starts real servers).

# %% [markdown]
# ## Setup

# %%
# %matplotlib inline
import inspect
import time

from advpy.checks import raft_run
from advpy.lessons.consensus import histories, paxos, quorum, raft
from advpy.lessons.consensus.failover import run_failover
from advpy.lessons.consensus.plots import plot_failover, plot_histories, plot_quorums, plot_raft
from advpy.lessons.consensus.stepper import stepper
from advpy.lessons.context import fast_mode, machine_summary, pick
from advpy.services import EtcdError, etcd_cluster, running_services

print(machine_summary())
print("fast mode:", fast_mode())

# %% [markdown]
# ## 1. What a read may return: five consistency models
#
# A **history** is what clients saw of one register: each operation has a process, a kind
# (write or read), a value, and the times the call started and returned. Operation `a`
# **precedes** `b` when `a` returned before `b` started; otherwise the two overlap and may have
# taken effect in either order. The register holds `None` at first. Five histories, each a
# little worse than the one before:

# %%
examples = histories.examples()
fig, axes = plot_histories(examples)

# %% [markdown]
# Each model asks whether **some** order of the operations explains every read (each read
# returns the last write before it), and differs in what that order must respect:
#
# - **linearizable**: one order of everything, respecting real-time precedence: the system
#   behaves like one copy, and a write is visible to everyone once it has returned;
# - **sequential**: one order of everything, respecting only each process's own order;
# - **causal**: each process may order the writes its own way, but must respect
#   "happened before" (program order, plus "I read your write, so your write came first");
# - **read your writes**: a process never reads something older than its own last write;
# - **eventual**: once writes stop, all reads end up agreeing.
#
# `advpy.lessons.consensus.histories` has a checker for each (a search over orders); here is
# the verdict for every history:

# %%
print("\n".join(histories.table(examples)))

# %% [markdown]
# **What to notice.**
# - *stale read*: B read `None` after A's write had returned. No single copy could do that,
#   so it is not linearizable; but if B's read is placed before A's write, every process's own
#   order holds, so it is sequential. A follower answering reads from its own copy does this.
# - *two orders*: C saw 1 then 2, D saw 2 then 1. No one order exists (not sequential), but
#   the writes are concurrent, so causal consistency lets each reader order them its own way.
# - *effect before cause*: B wrote 2 *after reading 1*, so 1 happened before 2; C saw 2 and
#   then 1 again: not even causal. Read-your-writes holds, because C wrote nothing.
# - *lost own write*: A wrote 1 and then read `None`: the session guarantee fails, and so does
#   everything stronger. Its late reads agree, so it is still eventually consistent:
#   eventual consistency says nothing about reads made while writes are spreading.
# - The models nest: linearizable ⇒ sequential ⇒ causal ⇒ read-your-writes. Eventual
#   consistency is about convergence, not order, and sits beside them.
#
# The checkers are searches: deciding linearizability is NP-complete in general, so tools such
# as Jepsen's Knossos and Porcupine prune the search cleverly; for a handful of operations
# trying every order is fine. The first linearization found for the first history:

# %%
order = histories.linearization(examples["overlapping read"])
placed = [examples["overlapping read"][i] for i in order]
print("linearization:", [f"{o['process']}:{o['kind']}({o['value']})" for o in placed])

# %% [markdown]
# ### Try it
# Move one time in the *stale read* history so that it becomes linearizable, and check it
# with `histories.check_all`. Which model still fails for *two orders* if D's reads were
# `2, 2` instead? ([answer](../solutions/tryit/22_consistency_consensus.md#1-histories))

# %% [markdown]
# ## 2. Quorums: R + W > N
#
# A replicated store (Dynamo, Cassandra, Riak) writes each key to N replicas and calls a write
# done when W of them have it; a read asks the replicas and keeps the newest of the first R
# answers. If **R + W > N**, every read quorum overlaps every write quorum, so the read hears
# from at least one replica with the newest acknowledged write. The simulation in
# `advpy.lessons.consensus.quorum` plays it with random network delays (one replica in N is 8
# times slower), for every R and W, and counts reads that returned something older than a
# write already acknowledged:

# %%
reads = pick(2000, 600)
results = quorum.sweep((3, 5), reads=reads, seed=22)
print(f"{reads} reads per setting")
for r in results:
    overlap = "R+W>N " if r.r + r.w > r.n else "      "
    print(
        f"N={r.n} R={r.r} W={r.w} {overlap} stale {r.stale:>4} ({100 * r.stale_share:5.1f}%)"
        f"  read {r.read_ms:5.2f} ms  write {r.write_ms:5.2f} ms"
    )

# %%
overlapping = [r for r in results if r.r + r.w > r.n]
disjoint = [r for r in results if r.r + r.w <= r.n]
print("stale reads when R + W > N:", sum(r.stale for r in overlapping))
print(
    "stale reads when R + W <= N:",
    sum(r.stale for r in disjoint),
    f"(in {sum(r.stale > 0 for r in disjoint)} of {len(disjoint)} settings)",
)
fig, ax = plot_quorums(results)

# %% [markdown]
# **What to notice.** Not one stale read on the right of the dashed lines, and stale reads
# on the left, most with R = W = 1. The price is in the last two columns: a quorum that must
# include the slow replica (R = N or W = N) waits for it every time, which is why N = 3,
# R = W = 2 is the usual choice: it tolerates one slow or dead replica for both reads and
# writes.
#
# R + W > N is about **overlap**, not linearizability. Two concurrent writes can land in
# different orders on different replicas, a "sloppy" quorum (hinted handoff) counts replicas
# outside the N, and a read that sees a write on only some replicas may return it while a
# later read does not, unless the reader writes it back first (read repair). Linearizable
# replication needs an agreed order of writes: consensus.

# %% [markdown]
# ### Try it
# Run `quorum.simulate` for N = 5 with (R, W) = (1, 5), (3, 3) and (5, 1). Which has the
# cheapest reads, which the cheapest writes, and which survives two dead replicas for both?
# ([answer](../solutions/tryit/22_consistency_consensus.md#2-quorums))

# %% [markdown]
# ## 3. Raft, one message at a time
#
# Raft keeps a replicated **log**: a leader takes commands, appends them to its log, and copies
# them to the followers; an entry is **committed** once a majority stores it, and then it is
# never lost. Time is cut into **terms**, each with at most one leader. A follower that hears
# no leader for its election timeout (random, so that nodes rarely stand at once) becomes a
# candidate: it starts a new term, votes for itself and asks the others. Two rules, each a
# plain function of a node's state and a message, carry the safety:

# %%
print(inspect.getsource(raft.request_vote))

# %% [markdown]
# One vote per term, and only to a candidate whose log is **at least as up to date** (a later
# last term, or the same last term and at least as long). A majority voted, and every
# committed entry is on a majority, so the two majorities overlap: a winner holds every
# committed entry.

# %%
print(inspect.getsource(raft.append_entries))

# %% [markdown]
# A follower accepts entries only if its log matches the leader's just before them
# (`prev_log_index`, `prev_log_term`), cuts its log only where an entry **conflicts**, and
# commits only what the leader vouched for in this very message.
#
# `advpy.checks.RaftSimulation` plays everything else (timers, the leader's bookkeeping, a
# network where each message takes 1-3 ticks) deterministically from a seed. Three nodes,
# stepped until one leads:

# %%
sim = raft.network(seed=3)
while sim.leader() is None:
    sim.step()
print(raft.describe(sim))
print("events:", sim.events)

# %% [markdown]
# Now three commands; a few ticks later they are on every log and committed (the log shows
# the term of each entry):

# %%
for command in ("x=1", "y=2", "z=3"):
    sim.propose(command)
for _ in range(12):
    sim.step()
print(raft.describe(sim))

# %% [markdown]
# Cut the leader off. It keeps leading its old term (nobody tells it otherwise) and takes two
# more commands, which it can never commit: no majority hears it. The other two elect a new
# leader in a higher term and carry on:

# %%
old = sim.leader()
sim.partition({old}, set(sim.ids) - {old})
sim.propose("lost=1")
sim.propose("lost=2")
for _ in range(40):
    sim.step()
new = sim.leader()  # the leader of the highest term
sim.propose("w=4")
for _ in range(12):
    sim.step()
print(f"cut off: {old}; now leading: {new}")
print(raft.describe(sim))

# %% [markdown]
# Heal the network. The old leader hears the higher term, steps down, and its two uncommitted
# entries conflict with the new leader's log: they are cut and replaced. No committed entry was
# lost, and a client that never got an answer for `lost=1` must not assume it happened:

# %%
sim.heal()
for _ in range(20):
    sim.step()
print(raft.describe(sim))
print("violations:", sim.violations)
print("committed commands:", [e["command"] for e in sim.committed])

# %% [markdown]
# **Step it yourself.** The stepper below runs a fresh network one tick per click and shows
# the nodes; it needs a live kernel (the rest of the notebook does not). Then the terms and
# roles of a longer run, with a partition from tick 80 to 160:

# %%
stepped = raft.network(seed=7)
stepper(stepped)

# %%
long_run = raft.network(seed=5)
trace = []
for tick in range(1, 241):
    if tick == 80:
        alone = long_run.leader()
        long_run.partition({alone}, set(long_run.ids) - {alone})
    if tick == 160:
        long_run.heal()
    if tick % 5 == 0:
        long_run.propose(f"c{tick}")
    long_run.step()
    trace.append(long_run.snapshot())
print("leaders by term:", long_run.leaders)
fig, ax = plot_raft(trace)

# %% [markdown]
# **What to notice.** Each term has at most one leader; the cut-off leader stays a leader of
# its old term (the flat line at the top) until the partition heals, then drops to the new
# term at once.
#
# The rules are where bugs hide. `raft_run` plays a network with 10% message loss and a
# partition, and checks safety after every tick; here it runs the correct rules and two common
# mistakes (forgetting the vote already given; replacing the log's tail by what a message
# carries, so a late short message cuts committed entries) over many seeds:

# %%
variants = {
    "correct": (raft.request_vote, raft.append_entries),
    "forgetful": (raft.forgetful_request_vote, raft.append_entries),
    "truncating": (raft.request_vote, raft.truncating_append_entries),
}
seeds = pick(40, 12)
for name, (vote, append) in variants.items():
    runs = [raft_run(vote, append, seed=s, nodes=3 if s % 2 else 5) for s in range(seeds)]
    broken = [r for r in runs if r["violations"]]
    kinds = sorted({v for r in broken for v in r["violations"]})[:2]
    print(f"{name:<10}: {len(broken):>2} of {seeds} seeds broke safety {kinds}")

# %% [markdown]
# **What to notice.** The forgetful vote elects two leaders in one term in many seeds. The
# truncating append breaks safety rarely, in few seeds or none of these: it needs a late
# message to overtake a newer one at the wrong moment. That is why consensus code is tested
# with many seeds and injected faults, and why its rules are also tested one by one, as the
# graded set does.

# %% [markdown]
# ### Try it
# Partition a 5-node `raft.network(seed=2)` into {n1, n2} and {n3, n4, n5} after a leader is
# elected. Which side can commit? What happens if you partition it into three groups?
# ([answer](../solutions/tryit/22_consistency_consensus.md#3-raft))

# %% [markdown]
# ## 4. A real etcd cluster: kill the leader in the middle of writes
#
# etcd, the store under Kubernetes, is Raft in production. `etcd_cluster(3)` starts three
# members on loopback (heartbeat 50 ms, election timeout 500 ms) and waits until each one
# knows a leader. The client speaks etcd's v3 API through its HTTP/JSON gateway:

# %%
started = time.perf_counter()
cluster = etcd_cluster(3)
print(f"3 members healthy after {time.perf_counter() - started:.2f} s")
print("leader:", cluster.leader().name, "| status:", cluster.client.status())

# %% [markdown]
# One writer now puts keys `seq/00000`, `seq/00001`... one after another. After a third of
# them the leader is killed with SIGKILL (no goodbye to its peers). A watcher asks the
# survivors every 2 ms whom they follow. Every key is read back at the end:

# %%
writes = pick(450, 150)
run = run_failover(cluster, writes=writes, kill_after=writes // 3)
latencies = sorted(a.end - a.start for a in run.acked if a.start < run.killed_at)
print(
    f"killed {run.killed} after {writes // 3} writes (term {run.old_term}); "
    f"{run.new_leader} leads term {run.new_term}"
)
print(f"median write before the kill: {1000 * latencies[len(latencies) // 2]:.1f} ms")
print(f"election time (kill -> survivors name a new leader): {1000 * run.election_s:.0f} ms")
print(f"longest gap without an acknowledged write: {1000 * run.unavailable_s:.0f} ms")
print(f"acknowledged: {len(run.acked)} of {writes}; errors: {len(run.failed)}")
print(f"acknowledged but missing afterwards: {len(run.lost)}")
print(f"errors whose write landed anyway: {len(run.landed_anyway)} of {len(run.failed)}")

# %%
fig, ax = plot_failover(run)

# %% [markdown]
# **What to notice.** Writes take the median printed above (a round trip to a majority and a
# disk write) until the kill; then nothing is acknowledged for about the election timeout plus one
# election, and writes resume in the new term. No acknowledged write is missing: an
# acknowledgement means a majority had the entry, and the new leader was elected by (and
# therefore overlaps) a majority. A write that got an error is **indeterminate**: it may have
# been committed anyway, so a client that retries must make the retry harmless (an
# idempotent put of the same key, or a transaction that checks a revision).
#
# With a majority gone, the last member refuses writes (it cannot commit anything) and also
# linearizable reads; a **serializable** read answers from its own copy, possibly stale:

# %%
survivor = next(m for m in cluster.members if m.running and m.name != run.new_leader)
cluster.leader().kill()
alone = cluster.connect([survivor.url], timeout=1.0)
for label, action in [
    ("put", lambda: alone.put("seq/after", "x")),
    ("linearizable get", lambda: alone.get("seq/00000")),
    ("serializable get", lambda: alone.get("seq/00000", serializable=True)),
]:
    try:
        print(f"{label:>17}: {action()!r}")
    except EtcdError as error:
        print(f"{label:>17}: refused ({error})")
alone.close()

# %%
cluster.stop()
print("cluster stopped:", not cluster.running, "| services left running:", running_services())

# %% [markdown]
# ### Try it
# Start `etcd_cluster(3, election_ms=1000)` (etcd's default) and run `run_failover` again.
# How does the gap change, and why is the election timeout not simply set as low as possible?
# ([answer](../solutions/tryit/22_consistency_consensus.md#4-etcd))

# %% [markdown]
# ## 5. Paxos, compared
#
# Paxos (Lamport, 1989/1998) came first and solves the same problem. Its core decides **one**
# value: a proposer picks a ballot number, asks acceptors to **promise** to ignore lower
# ballots (phase 1), and, with promises from a majority, proposes a value (phase 2). The
# crucial rule: if any acceptor that promised has already accepted a value, the proposer must
# propose the value of the highest ballot among them instead of its own.

# %%
group = paxos.acceptors(5)
print(paxos.propose(group, reach=[0, 1, 2], ballot=1, value="blue"), "->", paxos.chosen(group))
print(paxos.propose(group, reach=[2, 3, 4], ballot=2, value="red"), "->", paxos.chosen(group))

# %% [markdown]
# The second proposer wanted `red`, but acceptor 2 reported its `blue`, so it proposed `blue`:
# a chosen value sticks, because any two majorities overlap, the same argument as Raft's.
#
# | | Raft | Paxos (Multi-Paxos) |
# |---|---|---|
# | unit of agreement | a log, entry by entry, strong leader | one value per instance |
# | leader | required; elected by the up-to-date rule | an optimisation (skips phase 1) |
# | a new leader's log | holds every committed entry already | must re-learn earlier ballots |
# | holes in the log | none: committed in order | possible: instances decide apart |
# | specified | elections, membership, snapshots | the core; the rest left open |
# | used by | etcd, Consul, CockroachDB, TiKV | Chubby, Spanner's Paxos groups |
#
# Both need a majority to make progress, both are safe whatever the timing, and both can be
# kept from deciding forever by unlucky timing: which is what FLP says.

# %% [markdown]
# ## 6. FLP and CAP, stated precisely
#
# **FLP** (Fischer, Lynch and Paterson, 1985): in an **asynchronous** system (no bound on
# message delay or on how slowly a process runs) where even **one** process may crash, no
# **deterministic** protocol can guarantee that every correct process eventually decides,
# while also guaranteeing agreement and validity. It does **not** say consensus is impossible
# in practice: it says some execution never terminates. Raft and Paxos are always safe and
# give up only guaranteed termination: they terminate once the network behaves for long
# enough (partial synchrony), and randomized timeouts make endless split votes unlikely. You
# saw both halves above: no violation in any seed, and no commit while no majority could talk.
#
# **CAP** (Brewer's conjecture; proved by Gilbert and Lynch, 2002): a read/write register
# replicated over a network that may **partition** (lose any number of messages between two
# groups) cannot be both **consistent** in the sense of *linearizable* and **available** in the
# sense that *every request to a non-crashed node eventually gets a non-error answer*. What it
# does **not** say: that you pick two of three at design time (partitions are not optional;
# the choice is what to do *during* one); anything about latency when there is no partition
# (PACELC adds that trade-off); or that a CP system is unavailable all the time. etcd is CP:
# the minority side above refused writes and linearizable reads, and answered only a
# serializable read, which may be stale. A Dynamo-style store with R + W ≤ N is AP: it answers
# on both sides and reconciles later.

# %% [markdown]
# ## Pitfalls and under the hood
#
# **"Strong consistency" means different things.** Vendors use it for linearizable,
# sequential, or "read your writes within a session". Ask which history is forbidden.
#
# **Follower reads are stale reads.** Reading from any replica is the fastest option and gives
# up linearizability: etcd's serializable reads, a PostgreSQL hot standby, a Redis replica.
# etcd's default read asks the leader to confirm it still leads (ReadIndex) first.
#
# **A timeout is not a failure.** A write that timed out may have been committed. Retries need
# idempotency keys or compare-and-set on a revision, or they write twice.
#
# **Clocks do not order events.** Last-writer-wins with wall clocks silently drops writes when
# clocks drift; Raft orders by terms and log indexes, never by time. Time only drives its
# timeouts, which affect liveness, never safety.
#
# **Two nodes is worse than one.** A majority of 2 is 2: a two-member Raft cluster stops when
# either member does. Use 3 (tolerates 1 failure) or 5 (tolerates 2); 4 tolerates no more
# than 3 does.
#
# **etcd 3.4 from Python.** The `etcd3` package on PyPI speaks gRPC but is unmaintained and
# needs an old `protobuf`; this course talks to etcd over its JSON gateway with `httpx` (see
# `advpy.services.etcd`), and `etcdctl` ships with the server.

# %% [markdown]
# ## Summary
#
# - A consistency model is a set of allowed histories: linearizable (one copy, real time),
#   sequential (one order, per-process time), causal (happened-before), read-your-writes
#   (sessions), eventual (convergence); a checker searches for an order that explains every
#   read.
# - Quorums with R + W > N never returned a stale read in the simulation; R + W ≤ N did, and
#   quorums that include the slowest replica pay for it on every request.
# - Raft is safe because of quorum overlap plus three rules: one vote per term, only
#   up-to-date candidates win, and logs are cut only at a conflict; a partitioned old leader
#   cannot commit, and its uncommitted entries are replaced.
# - On a real etcd cluster, killing the leader stopped writes for roughly the election time,
#   lost no acknowledged write, and left failed writes indeterminate.
# - FLP: no deterministic protocol guarantees termination in an asynchronous system with one
#   crash; CAP: during a partition, a linearizable register cannot answer every request.
#
# **Graded exercises:** [exercises/ps22_consensus.ipynb](exercises/ps22_consensus.ipynb):
# `is_linearizable` for register histories; then the two rules real Raft clusters add to the
# ones above, `pre_vote` (a node asks before it raises its term, so one broken link no longer
# unseats a live leader) and `check_quorum` (a leader that hears no majority steps down, unlike
# the cut-off leader in section 3), both run with this lesson's rules in a Raft network with
# partitions, a broken link and message loss over many seeds.
