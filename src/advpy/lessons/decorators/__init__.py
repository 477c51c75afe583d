"""Lesson 05, decorators: an HTTP server on loopback whose views are guarded by decorators, a
flaky service to retry against, the lesson's logging, timing, caching and retry decorators,
measurements of what a decorator costs per call, a model of the thundering herd, and plots."""
