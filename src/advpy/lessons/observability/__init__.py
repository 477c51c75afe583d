"""Lesson 19, observability: two instrumented services (structured JSON logs with a correlation
id, Prometheus metrics, OpenTelemetry traces, Sentry errors), the receivers that collect their
traces and errors on loopback, the traffic and the PromQL behind the dashboard, SLO error
budgets and burn-rate alerting rules, and the pictures."""
