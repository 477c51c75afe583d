"""Lesson 09, thread safety: lost updates fixed with a lock, the lock's cost, the primitives of
``threading`` at work, a bounded producer-consumer pipeline, a real lock-ordering deadlock run
in a subprocess, and lock contention measured with one lock against striped locks."""
