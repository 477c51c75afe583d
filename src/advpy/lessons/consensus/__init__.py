"""Lesson 22 (consistency and consensus): histories and their checkers, a quorum-replication
simulation, Raft's two message rules run in a deterministic network, and the leader-failover
experiment on a real etcd cluster."""
