"""Lesson 17, event-driven architecture: Celery tasks on a Redis broker run by a real ``celery
worker`` process (retries, early and late acknowledgement, a worker killed with SIGKILL), an
order pipeline of a transactional outbox in SQLite, a relay process that publishes it to a
Redis stream, and consumers in a consumer group (naive and idempotent) killed in the middle of
a batch and counted afterwards, plus the cost of the idempotency table, measured."""
