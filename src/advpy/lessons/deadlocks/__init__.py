"""Lesson 23, deadlocks: locks that record who holds and who waits, a wait-for graph and its
cycle finder, a detector thread that picks a victim, five ways to run bank transfers (one per
Coffman condition broken), a lockstep model of livelock, the banker's safety check, a real
PostgreSQL deadlock with its detection time measured, and a lease lock with fencing tokens on a
real etcd server."""
