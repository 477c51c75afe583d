"""SLOs, error budgets and the multi-window burn-rate alert, as numbers and as Prometheus rules.

An SLO of 99.9% over 30 days allows 0.1% of requests to fail: that allowance is the **error
budget**. The **burn rate** is how fast it is spent: the error ratio over a window divided by
the allowed ratio (1 means the budget lasts exactly the period; 14.4 spends 2% of a 30-day
budget in one hour). The alert of Google's SRE workbook pages when the burn rate is above a
factor over a long window (1 h) *and* a short one (5 min, a twelfth of it): the long window
makes it significant, the short one makes it stop soon after the errors stop.

The lesson runs the same rule with windows shrunk from hours to seconds, so that Prometheus
fires it while the notebook watches.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Budget:
    """What an SLO allows over its period."""

    slo: float
    period_days: float
    allowed_ratio: float
    allowed_minutes: float  # of full downtime


def error_budget(slo: float, period_days: float = 30) -> Budget:
    """The error budget of an availability SLO (``0.999``) over ``period_days``."""
    if not 0 < slo < 1:
        raise ValueError(f"an SLO is a fraction between 0 and 1, not {slo!r}")
    allowed = 1 - slo
    return Budget(slo, period_days, allowed, allowed * period_days * 24 * 60)


def budget_spent(burn_rate: float, hours: float, period_days: float = 30) -> float:
    """The fraction of the period's budget that ``hours`` at ``burn_rate`` spend."""
    return burn_rate * hours / (period_days * 24)


def error_ratio_expr(job: str, window: str) -> str:
    """PromQL: the fraction of ``job``'s requests answered 5xx over ``window``. ``or vector(0)``
    gives 0 rather than nothing while no 5xx series exists yet."""
    total = f'sum(rate(http_requests_total{{job="{job}"}}[{window}]))'
    errors = f'sum(rate(http_requests_total{{job="{job}",status=~"5.."}}[{window}]))'
    return f"({errors} or vector(0)) / {total}"


def burn_rate_rules(
    job: str, slo: float, *, long: str, short: str, factor: float, interval: str = "1s"
) -> str:
    """A Prometheus rule file: the error ratio over both windows as recording rules, and an
    alert that fires when both burn faster than ``factor`` times the budget allows."""
    allowed = 1 - slo
    threshold = factor * allowed
    return f"""groups:
  - name: slo-{job}
    interval: {interval}
    rules:
      - record: job:error_ratio:rate_long
        expr: {error_ratio_expr(job, long)}
        labels: {{job: {job}}}
      - record: job:error_ratio:rate_short
        expr: {error_ratio_expr(job, short)}
        labels: {{job: {job}}}
      - alert: ErrorBudgetBurn
        expr: >-
          job:error_ratio:rate_long{{job="{job}"}} > {threshold:g}
          and job:error_ratio:rate_short{{job="{job}"}} > {threshold:g}
        labels: {{severity: page}}
        annotations:
          summary: "{job} burns its {slo:.1%} error budget over {factor:g}x too fast"
"""
