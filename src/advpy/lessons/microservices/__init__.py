"""Lesson 12, from a monolith to microservices: a small shop (users, catalogue, orders) as one
FastAPI app and as the orders service split out of it, a steady load of requests through a
real nginx gateway while the strangler's route changes, a small service registry with health
checks and a client-side balancer on top, the same call over REST and over gRPC, and timeouts,
retry budgets and a circuit breaker against a real slow or dead service."""
