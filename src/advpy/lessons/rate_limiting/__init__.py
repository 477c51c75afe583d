"""Lesson 15, rate limiting: the five classic limiters with an injected clock, one bursty
traffic trace they all answer, limiters whose counters live in a real Redis (a naive one that
races, atomic ones in Lua and MULTI), a FastAPI app that answers 429 with ``Retry-After`` and
``RateLimit-*`` headers, and the accuracy of each shared limiter under load from several
processes."""
