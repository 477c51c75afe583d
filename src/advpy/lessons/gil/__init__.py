"""Lesson 01, the GIL: CPU-bound and I/O-bound workloads, speed-up measurements with threads
and processes, a slow HTTP server on loopback, the plots and the interactive panel."""
