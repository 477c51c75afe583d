"""Lesson 14, caching strategies: a shop's product database in SQLite whose product page is a
real slow query, Redis and Memcached measured side by side, cache-aside, read-through,
write-through and write-behind run over one workload, the stampede on a hot key's expiry and
its two fixes, eviction under ``maxmemory``, and invalidation over pub/sub between two app
processes. Measuring and drawing are separate functions; processes and threads run code from
here, never from a notebook cell."""
