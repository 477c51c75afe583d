"""Lesson 02, memory management: a leaking cache and its fix, objgraph pictures of reference
cycles, tracemalloc measurements, ``__slots__``, and the plots."""
