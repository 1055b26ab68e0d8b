"""Scorecards: the hand-worked example of docs/adoption.md, the laws of the value at stake,
and every bad input refused with a ScorecardError that says what, where and what to do."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import equivmetrics as em
from scorecard_helpers import HOURS, USE
from scorecard_helpers import team as _team

HERE = Path(__file__).resolve().parent


DATA = {
    "2026-02": {
        "Onboarding": _team(44, 50, 170),
        "Support": _team(25, 50, 100),
        "Billing": _team(10, 20, 50),
    },
    "2026-03": {
        "Onboarding": _team(45, 50, 180),
        "Support": _team(30, 50, 120),
        "Billing": _team(10, 20, 50),
    },
}


@pytest.fixture(scope="module")
def tenant() -> em.Engine:
    return em.load().with_params(
        hourly_labor_cost={"value": "50 EUR/hour", "low": "45 EUR/hour", "high": "55 EUR/hour"}
    )


@pytest.fixture(scope="module")
def card(tenant: em.Engine) -> em.Scorecard:
    return tenant.scorecard(DATA, indicators=[USE, HOURS], tolerance=0.05)


# -- the worked example (docs/adoption.md) -----------------------------------------------------


def test_scores_pool_the_teams_and_trend_against_the_month_before(card: em.Scorecard) -> None:
    use = card.score("active_use")
    assert use.value == pytest.approx((45 + 30 + 10) / (50 + 50 + 20))  # 85 / 120
    assert use.status == "missed"  # 0.708 < 0.8
    ((period, february),) = use.history
    assert period == "2026-02"
    assert february == pytest.approx(79 / 120)
    assert use.change == pytest.approx(6 / 120)  # 0.05 up
    assert use.trend == "up"
    assert [t.value for t in use.teams] == pytest.approx([0.9, 0.6, 0.5])
    hours = card.score("hours_saved")
    assert hours.value == 350  # 180 + 120 + 50
    assert hours.change == 30  # 350 - 320
    assert hours.status == "no_target"


def test_the_weak_links_are_support_and_billing(card: em.Scorecard) -> None:
    # references, the median of the two other teams: Onboarding (0.6 + 0.5) / 2 = 0.55,
    # Support (0.9 + 0.5) / 2 = 0.70, Billing (0.9 + 0.6) / 2 = 0.75; tolerance 0.05
    links = {link.team: link for link in card.weak_links}
    assert set(links) == {"Support", "Billing"}  # 0.60 < 0.65 and 0.50 < 0.70; 0.90 > 0.50
    assert links["Support"].reference == pytest.approx(0.70)
    assert links["Support"].threshold == pytest.approx(0.65)
    assert links["Billing"].reference == pytest.approx(0.75)
    assert links["Billing"].gap == pytest.approx(0.25)


def test_the_value_at_stake_matches_the_hand_arithmetic(card: em.Scorecard) -> None:
    (stake,) = card.at_stake
    teams = {t.team: t for t in stake.teams}
    assert teams["Support"].value == pytest.approx(120 * (0.70 / 0.60 - 1))  # 20 hours
    assert teams["Billing"].value == pytest.approx(50 * (0.75 / 0.50 - 1))  # 25 hours
    assert not teams["Onboarding"].counted
    assert stake.counted == ("Support", "Billing")
    assert stake.total == pytest.approx(45)
    by_kind = {e.kind: e for e in stake.equivalents}
    assert by_kind["manual_work"].magnitude == pytest.approx(45)
    assert by_kind["labor_cost"].unit == "EUR/month"
    assert by_kind["labor_cost"].magnitude == pytest.approx(45 * 50)  # €2,250
    assert (by_kind["labor_cost"].low, by_kind["labor_cost"].high) == pytest.approx(
        (45 * 45, 45 * 55)
    )
    hours_per_fte_year = 2080 / (1 + 3.44 / 32.07)  # BLS ECEC: 1,878.50 hours worked
    assert by_kind["fte"].magnitude == pytest.approx(45 * 12 / hours_per_fte_year)  # 0.287


def test_the_realised_value_matches_the_hand_arithmetic(card: em.Scorecard) -> None:
    (realised,) = card.realised
    assert realised.total == 350
    by_kind = {e.kind: e for e in realised.equivalents}
    assert by_kind["manual_work"].magnitude == pytest.approx(350)
    assert by_kind["labor_cost"].magnitude == pytest.approx(350 * 50)  # €17,500 a month
    hours_per_fte_year = 2080 / (1 + 3.44 / 32.07)
    assert by_kind["fte"].magnitude == pytest.approx(350 * 12 / hours_per_fte_year)  # 2.24
    assert all(e.role == "feel_good" for e in realised.equivalents)


def test_explain_shows_each_step(card: em.Scorecard) -> None:
    text = card.explain()
    assert "Support: 120 hour x (0.7 / 0.6 - 1) = 20 hour: counted" in text
    assert "Billing: 50 hour x (0.75 / 0.5 - 1) = 25 hour: counted" in text
    assert "Support: 0.6; reference median(0.9, 0.5) = 0.7; threshold 0.65: a weak link" in text
    assert "all teams: (45 + 30 + 10) / (50 + 50 + 20) = 0.7083" in text
    assert "total: 45 hour a month" in text
    assert "hourly_labor_cost = 50 EUR / hour (range 45–55)" in text


def test_to_dict_is_json_and_carries_every_part(card: em.Scorecard) -> None:
    data = json.loads(json.dumps(card.to_dict()))
    assert data["schema"] == "equivmetrics.scorecard/1"
    assert data["rule"] == {"reference": "median", "tolerance": 0.05, "signed": False}
    assert [w["team"] for w in data["weak_links"]] == ["Support", "Billing"]
    assert data["at_stake"][0]["total"] == pytest.approx(45)
    assert data["realised"][0]["equivalents"][0]["schema"] == "equivmetrics.equivalent/1"


def test_the_card_shows_the_scorecard_in_its_language(tenant: em.Engine) -> None:
    english = tenant.scorecard(DATA, indicators=[USE, HOURS], tolerance=0.05).to_html()
    assert english.startswith('<section class="equivmetrics-card em-scorecard"')
    assert "If Support and Billing used it like the rest:" in english
    assert "Scorecard, 2026-03" in english
    assert "€2,250" in english
    german = tenant.scorecard(DATA, indicators=[USE, HOURS], tolerance=0.05, locale="de")
    html = german.to_html()
    assert 'lang="de"' in html
    assert "Wenn Support und Billing es wie die anderen nutzen würden:" in html
    assert "70,8 %" in html  # 85 / 120, in German


def test_reference_target_and_signed(tenant: em.Engine) -> None:
    card = tenant.scorecard(DATA, indicators=[USE, HOURS], reference="target", tolerance=0)
    # target 0.8: Support 120 x (0.8 / 0.6 - 1) = 40, Billing 50 x (0.8 / 0.5 - 1) = 30
    assert card.at_stake[0].total == pytest.approx(70)
    signed = tenant.scorecard(
        DATA, indicators=[USE, HOURS], reference="target", tolerance=0, signed=True
    )
    # and Onboarding, above its target, counts as 180 x (0.8 / 0.9 - 1) = -20
    assert signed.at_stake[0].total == pytest.approx(50)


def test_pack_indicators_are_the_default(tenant: em.Engine) -> None:
    engine = em.load(HERE.parent / "docs" / "examples" / "cs_scorecard.yaml")
    assert set(engine.indicators) == {"active_use", "hours_saved"}
    card = engine.scorecard(DATA, tolerance=0.05)
    assert card.at_stake[0].total == pytest.approx(45)


# -- the laws --------------------------------------------------------------------------------

share = st.integers(min_value=1, max_value=100).map(lambda n: n / 100)


def _data(adoptions: list[float], hours: Sequence[float]) -> dict[str, Any]:
    return {
        "2026-03": {
            f"T{n}": _team(a * 100, 100, h)
            for n, (a, h) in enumerate(zip(adoptions, hours, strict=False))
        }
    }


def _stake(adoptions: list[float], hours: Sequence[float], **options: Any) -> em.Scorecard:
    return em.load().scorecard(_data(adoptions, hours), indicators=[USE, HOURS], **options)


@settings(max_examples=40, deadline=None)
@given(level=share, hours=st.lists(st.integers(0, 1000), min_size=2, max_size=5))
def test_nothing_is_at_stake_when_every_team_is_at_the_reference(
    level: float, hours: list[int]
) -> None:
    for reference in ("median", "mean"):
        card = _stake([level] * len(hours), hours, reference=reference, tolerance=0)
        assert card.at_stake[0].total == 0
        assert card.weak_links == ()
    at_target = [0.8] * len(hours)
    assert _stake(at_target, hours, reference="target", tolerance=0).at_stake[0].total == 0


@settings(max_examples=40, deadline=None)
@given(
    others=st.lists(share, min_size=1, max_size=4),
    levels=st.lists(share, min_size=2, max_size=6),
    hours=st.integers(1, 1000),
    reference=st.sampled_from(["median", "mean", "target"]),
)
def test_a_teams_value_at_stake_grows_as_its_adoption_falls(
    others: list[float], levels: list[float], hours: int, reference: str
) -> None:
    values = []
    for level in sorted(set(levels), reverse=True):  # adoption falling
        card = _stake([level, *others], [hours] * (len(others) + 1), reference=reference)
        team = card.at_stake[0].teams[0]
        values.append(team.value if team.counted else 0.0)
    assert values == sorted(values)  # never falls
    if reference == "target":  # a fixed reference: the total follows the team
        totals = [
            _stake([lv, *others], [hours] * (len(others) + 1), reference="target").at_stake[0].total
            for lv in sorted(set(levels), reverse=True)
        ]
        assert totals == sorted(totals)


@settings(max_examples=40, deadline=None)
@given(
    adoptions=st.lists(share, min_size=2, max_size=6),
    hours=st.integers(0, 1000),
    reference=st.sampled_from(["median", "mean", "target"]),
    tolerance=st.sampled_from([0, 0.05, 0.1]),
)
def test_a_team_above_its_reference_is_never_negative_value_unless_signed(
    adoptions: list[float], hours: int, reference: str, tolerance: float
) -> None:
    stake = _stake(adoptions, [hours] * len(adoptions), reference=reference, tolerance=tolerance)
    assert stake.at_stake[0].total >= 0
    for team in stake.at_stake[0].teams:
        assert not team.counted or (team.value or 0) >= 0
    signed = _stake(
        adoptions, [hours] * len(adoptions), reference=reference, tolerance=tolerance, signed=True
    )
    for team in signed.at_stake[0].teams:
        assert team.counted
        if team.adoption > team.reference and hours:
            assert team.value is not None
            assert team.value < 0


# -- bad input -------------------------------------------------------------------------------


def _error(data: Any, **options: Any) -> em.ScorecardError:
    with pytest.raises(em.ScorecardError) as caught:
        em.load().scorecard(data, indicators=options.pop("indicators", [USE, HOURS]), **options)
    return caught.value


def test_adoption_above_100_percent_is_refused() -> None:
    error = _error({"2026-03": {"A": _team(60, 50, 10), "B": _team(10, 50, 10)}})
    assert (error.problem, error.team, error.period, error.indicator) == (
        "above_one",
        "A",
        "2026-03",
        "active_use",
    )
    assert "120%" in str(error)
    assert "more than licensed_seats" in str(error)
    assert "check both numbers" in str(error)
    assert isinstance(error, ValueError)
    assert error.code == "ScorecardError"
    assert error.to_dict()["problem"] == "above_one"


def test_negative_counts_are_refused() -> None:
    error = _error({"2026-03": {"A": _team(10, 50, -5), "B": _team(10, 50, 10)}})
    assert (error.problem, error.team) == ("negative", "A")
    assert "hours_saved is negative" in str(error)
    assert "check the export" in str(error)


def test_a_team_missing_in_a_period_is_refused() -> None:
    data = {
        "2026-02": {"A": _team(10, 50, 10)},
        "2026-03": {"A": _team(10, 50, 10), "B": _team(10, 50, 10)},
    }
    error = _error(data)
    assert (error.problem, error.team, error.period) == ("missing_team", "B", "2026-02")
    assert "give its numbers for 2026-02" in str(error)


@pytest.mark.parametrize(
    ("cell", "hinted"),
    [("120,5", True), ("1.250,5", True), ("1,250", True), ("1 250,5", True), ("12.5", False),
     ("many", False), ("n/a", False)],
)  # fmt: skip
def test_text_with_a_decimal_comma_is_refused_with_the_way_to_read_it(
    cell: str, hinted: bool
) -> None:
    """rows from csv.DictReader over a German export hold "120,5": the Python API reads
    numbers, not a spreadsheet's text, and says how to give them ("12.5" is read by float,
    so it never comes here)."""
    rows = [
        {"period": "2026-03", "team": "A", "active_users": "1", "licensed_seats": "2",
         "hours_saved": cell},
        {"period": "2026-03", "team": "B", "active_users": "1", "licensed_seats": "2",
         "hours_saved": "3"},
    ]  # fmt: skip
    if cell == "12.5":
        assert em.load().scorecard(rows, indicators=[USE, HOURS]).score("hours_saved").value
        return
    error = _error(rows)
    assert (error.problem, error.team) == ("not_a_number", "A")
    assert f"hours_saved must be a number for team 'A' in 2026-03, not {cell!r}" in str(error)
    assert ("decimal=','" in str(error)) is hinted
    assert ("equivmetrics scorecard FILE" in str(error)) is hinted


def test_an_indicator_with_no_data_is_refused() -> None:
    data = {"2026-03": {"A": {"active_users": 1, "licensed_seats": 2}, "B": _team(1, 2, 3)}}
    error = _error(data)
    assert (error.problem, error.team, error.indicator) == ("missing_number", "A", "hours_saved")
    no_hours = {"2026-03": {t: {"active_users": 1, "licensed_seats": 2} for t in "AB"}}
    error = _error(no_hours)
    assert (error.problem, error.indicator) == ("no_data", "hours_saved")
    assert "no team has the number 'hours_saved'" in str(error)
    assert "leave the indicator out" in str(error)


def test_unknown_names_are_refused() -> None:
    error = _error(DATA, teams=["Support", "Suport"])
    assert (error.problem, error.team) == ("unknown_team", "Suport")
    assert "did you mean 'Support'?" in str(error)
    card = em.load().scorecard(DATA, indicators=[USE, HOURS])
    with pytest.raises(em.ScorecardError, match="has no indicator 'activ_use'") as caught:
        card.score("activ_use")
    assert caught.value.problem == "unknown_indicator"
    driven = em.Indicator(
        "hours", family="performance", measure="count", numerator="hours_saved",
        kind="manual_work", unit="hour", driven_by="nope",
    )  # fmt: skip
    assert _error(DATA, indicators=[USE, driven]).problem == "unknown_indicator"
    assert _error(DATA, period="2026-04").problem == "unknown_period"


def test_a_performance_indicator_whose_kind_does_not_exist_is_refused() -> None:
    bad = em.Indicator(
        "hours", family="performance", measure="count", numerator="hours_saved",
        kind="manul_work", unit="hour",
    )  # fmt: skip
    error = _error(DATA, indicators=[USE, bad])
    assert (error.problem, error.indicator) == ("unknown_kind", "hours")
    assert "did you mean 'manual_work'?" in str(error)


def test_zero_adoption_is_shown_not_scaled() -> None:
    card = em.load().scorecard(
        {"2026-03": {"A": _team(0, 10, 0), "B": _team(9, 10, 90), "C": _team(8, 10, 80)}},
        indicators=[USE, HOURS],
    )
    team = card.at_stake[0].teams[0]
    assert (team.weak, team.factor, team.value) == (True, None, None)
    assert any("cannot be scaled from zero" in note for note in card.notes)
    assert card.to_dict()["notes"] == list(card.notes)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"measure": "ratio"}, "needs a denominator"),
        ({"measure": "count", "denominator": "x"}, "has no denominator"),
        ({"measure": "ratio", "denominator": "x", "target": 1.5}, "share from 0 to 1"),
        ({"measure": "rate", "denominator": "x", "kind": "fte"}, "only a performance 'count'"),
        ({"measure": "count", "unit": "hour"}, "need the kind"),
    ],
)
def test_indicators_that_do_not_fit_together_are_refused(
    arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(em.InputValueError, match=message):
        em.Indicator("x", family="adoption", numerator="n", **arguments)


def test_bad_options_are_refused() -> None:
    with pytest.raises(em.InputValueError, match="reference must be one of median, mean"):
        em.load().scorecard(DATA, indicators=[USE], reference="best")
    with pytest.raises(em.InputValueError, match="tolerance"):
        em.load().scorecard(DATA, indicators=[USE], tolerance=2)
    with pytest.raises(em.InputTypeError, match="signed must be True or False"):
        em.load().scorecard(DATA, indicators=[USE], signed="yes")  # type: ignore[arg-type]
    with pytest.raises(em.ScorecardError, match="at least one indicator"):
        em.load().scorecard(DATA, indicators=[])
    one_team = {"2026-03": {"A": _team(1, 2, 3)}}
    assert _error(one_team).problem == "too_few_teams"


# -- the command line ------------------------------------------------------------------------

EXAMPLES = HERE.parent / "docs" / "examples"


def test_the_command_reads_csv_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from equivmetrics._integrations.cli import main

    pack = ["--pack", str(EXAMPLES / "cs_scorecard.yaml"), "--tolerance", "0.05"]
    assert main(["scorecard", str(EXAMPLES / "teams.csv"), *pack, "--json"]) == 0
    from_csv = json.loads(capsys.readouterr().out)
    assert [w["team"] for w in from_csv["weak_links"]] == ["Support", "Billing"]
    assert from_csv["at_stake"][0]["total"] == pytest.approx(45)  # 20 + 25 hours
    numbers = tmp_path / "teams.json"
    numbers.write_text(json.dumps(DATA), encoding="utf-8")
    page = tmp_path / "card.html"
    assert main(["scorecard", str(numbers), *pack, "--html", str(page)]) == 0
    assert "If Support and Billing used it like the rest:" in page.read_text("utf-8")
    assert main(["scorecard", str(numbers), *pack, "--team", "Suport", "--json"]) == 1
    error = json.loads(capsys.readouterr().out.splitlines()[-1])["error"]
    assert (error["code"], error["problem"], error["team"]) == (
        "ScorecardError",
        "unknown_team",
        "Suport",
    )


def test_a_language_without_words_gives_an_english_card(tenant: em.Engine) -> None:
    # found in review: Italian asked for, English words under lang="it" with Italian numbers
    html = tenant.scorecard(DATA, indicators=[USE, HOURS], tolerance=0.05, locale="it").to_html()
    assert ' lang="it"' not in html
    assert 'lang="en"' in html
    assert "70.8 %" in html  # 85 / 120, written the English way
