"""Lesson 16, query optimization: a shop's data set in PostgreSQL (and SQLite), plans read from
``EXPLAIN``, indexes measured before and after, the ORM's N+1 queries counted, offset and keyset
pagination timed, and the fixture the graded set's tests build their database with."""
