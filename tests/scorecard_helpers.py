"""The indicators and team numbers of docs/adoption.md's worked example, shared by the
scorecard tests."""

from __future__ import annotations

import equivmetrics as em

__all__ = ["HOURS", "USE", "team"]

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
