"""Number presentation: significant figures, separators, plural categories, durations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._present.formatter import (
    Formatter,
    LocaleError,
    default_sig,
    duration_parts,
    round_sig,
)
from strategies import SETTINGS


@pytest.mark.parametrize(
    ("value", "sig", "expected"),
    [
        (145.26978, 3, 145.0),
        (145.26978, 2, 150.0),
        (22485.84, 3, 22500.0),
        (0.0, 3, 0.0),
        (0.0012345, 2, 0.0012),
        (-3.4615, 2, -3.5),
        (999.6, 3, 1000.0),
    ],
)
def test_round_sig(value: float, sig: int, expected: float) -> None:
    assert round_sig(value, sig) == pytest.approx(expected, rel=1e-12)


@SETTINGS
@given(value=st.floats(1e-9, 1e12), sig=st.integers(1, 6))
def test_round_sig_keeps_relative_error_within_half_a_unit(value: float, sig: int) -> None:
    rounded = round_sig(value, sig)
    assert abs(rounded - value) <= 0.5 * 10 ** (math.floor(math.log10(value)) - sig + 1) * 1.0001


def test_default_sig_follows_the_range() -> None:
    # half-width 5 % of the value: narrow, 3 figures; half-width 40 %: wide, 2 figures
    assert default_sig(100, 95, 105) == 3
    assert default_sig(100, 60, 140) == 2
    assert default_sig(100, 100, 100) == 3


@pytest.mark.parametrize(
    ("value", "sig", "text"),
    [
        (22485.84, 3, "22,500"),
        (3.4615, 3, "3.46"),
        (0.0812, 2, "0.081"),
        (1_070_000, 3, "1,070,000"),
        (42.35, 2, "42"),
        (1.0, 2, "1.0"),
    ],
)
def test_english_numbers(value: float, sig: int, text: str) -> None:
    assert Formatter("en").number(value, sig) == text


@pytest.mark.parametrize(
    ("value", "sig", "category"),
    [(1.0, 1, "one"), (1.0, 2, "other"), (2.0, 1, "other"), (0.5, 1, "other")],
)
def test_english_plural_counts_visible_decimals(value: float, sig: int, category: str) -> None:
    # CLDR: "1 tree", but "1.0 trees" -- visible decimals make it plural in English
    assert Formatter("en").plural(value, sig) == category


# Polish, CLDR: one = 1 (no decimals); few = 2-4, 22-24, ... (not 12-14); many = 0, 5-21,
# 25-31, ...; other = numbers with visible decimals.
@pytest.mark.parametrize(
    ("value", "category"),
    [
        (1, "one"),
        (2, "few"),
        (4, "few"),
        (5, "many"),
        (12, "many"),
        (22, "few"),
        (25, "many"),
        (112, "many"),
    ],
)
def test_polish_plural_categories(value: int, category: str) -> None:
    pytest.importorskip("babel")
    assert Formatter("pl").plural(float(value), len(str(value))) == category


def test_polish_decimals_are_other_and_numbers_use_polish_separators() -> None:
    pytest.importorskip("babel")
    formatter = Formatter("pl")
    assert formatter.plural(1.5, 2) == "other"
    # Polish groups thousands with a (non-breaking) space and uses a decimal comma
    assert formatter.number(22485.84, 3).replace("\u00a0", " ") == "22 500"
    assert formatter.number(3.4615, 3) == "3,46"


def test_unknown_locale_is_a_locale_error() -> None:
    pytest.importorskip("babel")
    with pytest.raises(LocaleError, match="unknown locale 'xx_YY'"):
        Formatter("xx_YY").check()


def test_without_babel_only_english_works(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from equivmetrics._present import formatter as _present

    _present._babel_locale.cache_clear()
    real_import = builtins.__import__

    def no_babel(name: str, *args: object, **kwargs: object) -> object:
        if name == "babel" or name.startswith("babel."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_babel)
    assert Formatter("en").number(1234.5, 3) == "1,230"
    with pytest.raises(LocaleError, match=r"pip install 'equivmetrics\[locale\]'"):
        Formatter("de").check()
    _present._babel_locale.cache_clear()


@pytest.mark.parametrize(
    ("minutes", "parts"),
    [
        (75.0, (1, 15)),
        (60.0, None),  # a whole hour reads "1 hour", a half "1.5 hours" (issue 19: one rule)
        (90.0, None),
        (450.0, None),
        (61.0, (1, 1)),
        (59.9, None),
        (42.35, None),
        (599.4, (9, 59)),
        (600.0, None),
        (62.6, (1, 3)),
    ],
)
def test_durations(minutes: float, parts: tuple[int, int] | None) -> None:
    assert duration_parts(minutes) == parts


@pytest.mark.parametrize(
    ("quantity", "of", "role", "text"),
    [
        # 15 transactions x 3 min = 45 min of manual work: minutes, not "0.75 hours"; the
        # range (1 to 10 min a transaction: 15 to 150 min) names its unit
        ("15 transaction", None, "feel_good", "45 minutes of manual work eliminated"),
        # 150 transactions a month x 3 min = 450 min = 7.5 hours a month: a half hour reads as
        # hours, the period at the end, the range's unit in the plural
        ("150 transaction/month", None, "feel_good", "7.5 hours of manual work eliminated a month"),
        ("150 transaction", None, "feel_good", "7.5 hours of manual work eliminated (range"),
        # 420 kcal of brisk walking: 75 min, hours and minutes (PACE)
        ("420 kcal", None, "action", "1 h 15 min of brisk walking to burn it off (range 48–110"),
    ],
)
def test_durations_read_the_same_for_every_time_kind(
    quantity: str, of: str | None, role: str, text: str
) -> None:
    found = em.action(quantity, of=of) if role == "action" else em.feel_good(quantity, of=of)
    assert any(e.text.startswith(text) for e in found), [e.text for e in found]


def test_a_duration_range_is_in_the_plural_and_in_the_unit_shown() -> None:
    (work,) = em.feel_good("15 transaction", only=["manual_work"])
    # 1 and 10 min a transaction (productivity pack range): 15 and 150 minutes
    assert work.text == "45 minutes of manual work eliminated (range 15–150 min)"
    (work,) = em.feel_good("240 transaction", only=["manual_work"])
    # 240 x 3 min = 720 min = 12 h: hours from ten on; 4 to 40 hours
    assert work.text == "12 hours of manual work eliminated (range 4.0–40)"
    (rate,) = em.feel_good("15 transaction/month", only=["manual_work"])
    assert rate.text == "45 minutes of manual work eliminated a month (range 15–150 min)"


def test_a_huge_locale_is_not_echoed_whole() -> None:
    with pytest.raises(em.EquivMetricsError) as caught:
        em.feel_good("12400 kWh", locale="x" * 1_000_000)
    message = str(caught.value)
    assert len(message) < 200
    assert "1000000 characters" in message


@pytest.mark.parametrize(
    ("value", "sig", "shown"),
    [
        (3.91e294, 3, "3.91 \u00d7 10\u00b2\u2079\u2074"),
        (9.99e14, 2, "1.0 \u00d7 10\u00b9\u2075"),  # rounds up to a thousand trillion
        (9.94e14, 2, "990,000,000,000,000"),
        (-2.5e-7, 2, "-2.5 \u00d7 10\u207b\u2077"),
        (1e-6, 2, "0.0000010"),
    ],
)
def test_huge_and_tiny_numbers_get_a_power_of_ten(value: float, sig: int, shown: str) -> None:
    assert Formatter().number(value, sig) == shown


def test_a_huge_equivalent_is_readable() -> None:
    # 1e300 kWh: far beyond anything real, but it must print as a number a person can read
    (first,) = em.feel_good("1e300 kWh", top=1)
    assert len(first.text) < 120
    assert "\u00d7 10" in first.text


def test_the_smallest_floats_are_written_with_a_power_of_ten() -> None:
    assert Formatter().number(5e-324, 2) == "4.9 \u00d7 10\u207b\u00b3\u00b2\u2074"
    # rounding the largest float up to 2 figures would overflow: it is shown unrounded
    assert Formatter().number(1.7976931348623157e308, 2) == "1.8 \u00d7 10\u00b3\u2070\u2078"


def test_a_locale_must_be_text() -> None:
    with pytest.raises(em.EquivMetricsError, match="locale must be text such as 'en'"):
        em.feel_good("5 kWh", locale=5)  # type: ignore[arg-type]
