"""Scorecard figures at the edges: numbers too large for a float, the signed (net) value at
stake worded for what it is in every language, and totals that add up exactly."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics._present.scorecard_card import scorecard_words
from scorecard_helpers import HOURS, LABOUR, MARCH, USE, report_of
from scorecard_helpers import team as _team

PER_HEAD = em.Indicator(
    "per_head",
    family="adoption",
    measure="rate",
    numerator="active_users",
    denominator="licensed_seats",
)


@pytest.fixture(scope="module")
def tenant() -> em.Engine:
    return em.load().with_params(hourly_labor_cost=LABOUR)


def _too_large(data: Any, **options: Any) -> em.ScorecardError:
    indicators = options.pop("indicators", [USE, HOURS])
    with pytest.raises(em.ScorecardError) as caught:
        em.load().scorecard(data, indicators=indicators, **options)
    assert caught.value.problem == "too_large", caught.value
    assert "too large" in str(caught.value)
    return caught.value


# -- 1. numbers beyond a float -----------------------------------------------------------------


def test_sums_beyond_a_float_are_scorecard_errors_not_overflow() -> None:
    # 1e308 + 1e308 is beyond the largest float (about 1.8e308): fsum overflowed
    huge = {"2026-03": {"A": _team(1e308, 1e308, 1), "B": _team(1e308, 1e308, 1)}}
    error = _too_large(huge)
    assert (error.indicator, error.period) == ("active_use", "2026-03")
    hours = {"2026-03": {"A": _team(1, 2, 1e308), "B": _team(1, 2, 1e308)}}
    assert _too_large(hours).indicator == "hours_saved"


def test_an_integer_beyond_a_float_is_a_scorecard_error() -> None:
    error = _too_large({"2026-03": {"A": _team(1, 2, 10**400), "B": _team(1, 2, 1)}})
    assert (error.team, error.indicator) == ("A", "hours_saved")


def test_a_rate_beyond_a_float_is_a_scorecard_error() -> None:
    # 1e308 / 0.001 = 1e311: beyond a float
    data = {"2026-03": {"A": _team(1e308, 0.001, 1), "B": _team(1, 1, 1)}}
    error = _too_large(data, indicators=[PER_HEAD])
    assert (error.team, error.indicator) == ("A", "per_head")


def test_a_mean_reference_beyond_a_float_is_a_scorecard_error() -> None:
    # each team 1 / 1e-308 = 1e308 a head, all together 3 / 3e-308 = 1e308: floats; but the
    # mean of the other two teams, (1e308 + 1e308) / 2, overflows while summing
    data = {"2026-03": {t: _team(1, 1e-308, 1) for t in ("A", "B", "C")}}
    error = _too_large(data, indicators=[PER_HEAD], reference="mean")
    assert (error.indicator, error.team) == ("per_head", "A")


def test_a_value_at_stake_beyond_a_float_is_a_scorecard_error() -> None:
    # A: adoption 1e-300 / 1, reference 1 (median of B and C): 1e300 x (1 / 1e-300 - 1) = 1e600
    data = {
        "2026-03": {
            "A": _team(1e-300, 1, 1e300),
            "B": _team(1, 1, 1),
            "C": _team(1, 1, 1),
        }
    }
    error = _too_large(data)
    assert (error.team, error.indicator) == ("A", "hours_saved")


def test_an_equivalent_beyond_a_float_is_a_scorecard_error() -> None:
    # 1e308 hours a month is a float; as a labour cost (x 12 x ...) it is not
    data = {"2026-03": {"A": _team(1, 2, 1e308), "B": _team(1, 1, 0)}}
    assert _too_large(data).indicator == "hours_saved"


# -- 2. the signed value at stake ----------------------------------------------------------------


def test_a_net_loss_is_shown_not_nothing_at_stake(tenant: em.Engine) -> None:
    card = tenant.scorecard(MARCH, indicators=[USE, HOURS], tolerance=0.05, signed=True)
    stake = card.at_stake[0]
    # Onboarding 180 x 0.55 / 0.9 - 180 = -70; Support 20; Billing 25: net -25 hours a month
    assert stake.total == pytest.approx(-25)
    assert stake.direction == "loss"
    assert (stake.gaining, stake.losing) == (("Support", "Billing"), ("Onboarding",))
    # its size as what would be lost: 25 hours; 25 x 12 / 1,878.50 = 0.160 FTE; 25 x €50
    texts = [e.text for e in stake.equivalents]
    assert texts[0] == "25.0 hours of manual work eliminated a month"
    assert "0.160 full-time employees" in texts[1]
    assert texts[2].startswith("€1,250 of labour cost avoided a month")
    data = json.loads(json.dumps(card.to_dict()))["at_stake"][0]
    assert (data["direction"], data["total"]) == ("loss", pytest.approx(-25))
    assert [e["role"] for e in data["equivalents"]] == ["feel_good"] * 3
    lede = (
        "Net loss if every team used it like the rest (gains: Support and Billing; "
        "losses: Onboarding):"
    )
    html = card.to_html()
    assert "Nothing at stake" not in html
    assert lede in html
    assert "25.0" in html
    words = scorecard_words(card)
    assert words["stakes"] == [{"lede": lede, "items": texts}]
    explained = card.explain()
    assert "total: -25 hour a month" in explained
    assert "a net loss: at their references Onboarding would lose more than Support and" in (
        explained
    )


@pytest.mark.parametrize(
    ("locale", "lede"),
    [
        (
            "de",
            "Nettoverlust, wenn jedes Team es wie die anderen nutzen würde (Gewinn: Support und "
            "Billing; Verlust: Onboarding):",
        ),
        (
            "fr",
            "Perte nette si chaque équipe l’utilisait comme les autres (gains : Support et "
            "Billing ; pertes : Onboarding) :",
        ),
        (
            "es",
            "Pérdida neta si cada equipo lo usara como los demás (ganancias: Support y Billing; "
            "pérdidas: Onboarding):",
        ),
    ],
)
def test_a_net_loss_reads_right_in_every_language(
    tenant: em.Engine, locale: str, lede: str
) -> None:
    card = tenant.scorecard(
        MARCH, indicators=[USE, HOURS], tolerance=0.05, signed=True, locale=locale
    )
    assert lede in card.to_html()
    words = scorecard_words(card, locale)
    assert words["stakes"][0]["lede"] == lede
    assert len(words["stakes"][0]["items"]) == 3
    assert all("25" in item for item in words["stakes"][0]["items"][:1])
    report = report_of(tenant, card, locale)
    assert lede in report.text()
    assert escape(lede, quote=False) in report.html()
    assert "Nothing at stake" not in report.text()


def test_a_net_gain_names_both_sides_at_target(tenant: em.Engine) -> None:
    # target 0.8: Support 120 x 0.8 / 0.6 - 120 = 40, Billing 50 x 0.8 / 0.5 - 50 = 30,
    # Onboarding 180 x 0.8 / 0.9 - 180 = -20: net +50 hours
    card = tenant.scorecard(
        MARCH, indicators=[USE, HOURS], reference="target", tolerance=0, signed=True
    )
    stake = card.at_stake[0]
    assert stake.total == pytest.approx(50)
    assert stake.direction == "gain"
    assert (
        stake.equivalents[0].text == "50.0 hours of manual work that automation would free a month"
    )
    assert scorecard_words(card)["stakes"][0]["lede"] == (
        "Net gain if every team used it at target (gains: Support and Billing; losses: Onboarding):"
    )


def test_weak_links_with_nothing_to_scale_do_not_read_as_no_lag(tenant: em.Engine) -> None:
    # Billing at 0 adoption is a weak link, but 0 cannot be scaled: no value, and the lede says so
    data = {"2026-03": {"A": _team(9, 10, 5), "B": _team(9, 10, 5), "Billing": _team(0, 10, 0)}}
    card = tenant.scorecard(data, indicators=[USE, HOURS])
    assert [w.team for w in card.weak_links] == ["Billing"]
    lede = scorecard_words(card)["stakes"][0]["lede"]
    assert lede.startswith("No value at stake can be shown for Billing:")


# -- 8. exact totals ---------------------------------------------------------------------------


def test_the_worked_total_is_exactly_45(tenant: em.Engine) -> None:
    card = tenant.scorecard(MARCH, indicators=[USE, HOURS], tolerance=0.05)
    # Support 120 x 0.7 / 0.6 - 120 = 20, Billing 50 x 0.75 / 0.5 - 50 = 25: 45, no float noise
    assert card.at_stake[0].total == 45.0
    assert json.loads(json.dumps(card.to_dict()))["at_stake"][0]["total"] == 45.0
    assert [t.value for t in card.at_stake[0].teams if t.counted] == [20.0, 25.0]
