"""Lesson 13, database migrations: a small Alembic project in a temporary folder (revisions,
upgrade and downgrade, branches and merges), the users service in four versions for an
expand/contract rename under a steady load of requests through nginx, and PostgreSQL's locks
measured: which ``ALTER TABLE`` takes which lock and rewrites the table, and a blocking index
build against ``CREATE INDEX CONCURRENTLY`` with a writer running beside it."""
