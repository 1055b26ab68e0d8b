"""The indicators and team numbers of docs/adoption.md's worked example, shared by the
scorecard tests."""

from __future__ import annotations

import equivmetrics as em
from equivmetrics.report import ValueReport, build_report

__all__ = ["HOURS", "LABOUR", "MARCH", "USE", "report_of", "team"]

USE = em.Indicator(
    "active_use",
    family="adoption",
    measure="ratio",
    numerator="active_users",
    denominator="licensed_seats",
    target=0.8,
    title="Active users",
)
HOURS = em.Indicator(
    "hours_saved",
    family="performance",
    measure="count",
    numerator="hours_saved",
    kind="manual_work",
    unit="hour",
    show=("manual_work", "fte", "labor_cost"),
    title="Hours saved",
)


def team(active: float, seats: float, hours: float) -> dict[str, float]:
    """One team's numbers: active users, licensed seats, hours saved."""
    return {"active_users": active, "licensed_seats": seats, "hours_saved": hours}


#: March of the worked example: Onboarding 45/50, Support 30/50, Billing 10/20.
MARCH = {
    "2026-03": {
        "Onboarding": team(45, 50, 180),
        "Support": team(30, 50, 120),
        "Billing": team(10, 20, 50),
    }
}
#: The worked example's hourly labour cost, €50 (€45 to €55).
LABOUR = {"value": "50 EUR/hour", "low": "45 EUR/hour", "high": "55 EUR/hour"}


def report_of(engine: em.Engine, card: em.Scorecard, locale: str) -> ValueReport:
    """A value report of 350 hours in March 2026 with the scorecard's section."""
    return build_report(
        engine,
        {"2026-03": 350},
        "manual_work",
        of="manual_work",
        unit="hour",
        scorecard=card,
        locale=locale,
    )
