"""Numbers as spreadsheets export them (``equivmetrics._integrations.spreadsheet``), shared by
the report's totals and the scorecard's team numbers: round trips through each export
convention, and the readings that must not be guessed."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equivmetrics._integrations.spreadsheet import (
    ambiguity,
    convention,
    finite_number,
    spreadsheet_number,
)
from strategies import SETTINGS

#: Amounts with two decimals, as a spreadsheet shows money or hours.
CENTS = st.integers(min_value=-(10**12), max_value=10**12)


def _grouped(cents: int, thousands: str, decimal: str) -> str:
    """``cents / 100`` written with the given separators, worked out digit by digit."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    digits = str(whole)
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return f"{sign}{thousands.join(groups)}{decimal}{fraction:02d}"


@SETTINGS
@given(cents=CENTS, delimiter=st.sampled_from([";", "\t"]))
def test_a_decimal_comma_export_round_trips_and_settles_its_convention(
    cents: int, delimiter: str
) -> None:
    """``1.234.567,89``: two decimals after the comma are never a thousands group, so the
    number settles the file's convention by itself."""
    text = _grouped(cents, ".", ",")
    assert convention([text], delimiter) == "comma"
    assert spreadsheet_number(text, delimiter, "") == cents / 100
    assert spreadsheet_number(text, delimiter, "comma") == cents / 100


@SETTINGS
@given(cents=CENTS, delimiter=st.sampled_from([";", "\t"]))
def test_a_decimal_point_export_round_trips_in_a_semicolon_or_tab_file(
    cents: int, delimiter: str
) -> None:
    text = _grouped(cents, ",", ".")
    assert convention([text], delimiter) == "point"
    assert spreadsheet_number(text, delimiter, "point") == cents / 100


@SETTINGS
@given(cents=CENTS, delimiter=st.sampled_from([",", ";", "\t"]))
def test_thousands_spaces_round_trip_with_either_decimal_mark(cents: int, delimiter: str) -> None:
    """A space (or no-break, or narrow no-break space) separates thousands in any file; the
    decimal mark is the file's: a comma unless the columns are separated by commas."""
    for space in (" ", "\u00a0", "\u202f"):
        text = _grouped(cents, space, "," if delimiter != "," else ".")
        assert spreadsheet_number(text, delimiter, "") == cents / 100


@SETTINGS
@given(cents=CENTS)
def test_a_comma_files_quoted_thousands_round_trip(cents: int) -> None:
    text = _grouped(cents, ",", ".")
    assert convention([text], ",") == ""  # a comma-separated file: always a decimal point
    assert spreadsheet_number(text, ",", "") == cents / 100


@SETTINGS
@given(whole=st.integers(1, 999), group=st.integers(0, 999), mark=st.sampled_from(".,"))
def test_one_group_of_three_is_read_as_the_files_convention_says_and_never_guessed(
    whole: int, group: int, mark: str
) -> None:
    """``1.250`` or ``1,250``: 1250 or 1.25, worked out here from the digits."""
    text = f"{whole}{mark}{group:03d}"
    # the decimal reading as written (whole + group / 1000 would round twice)
    thousands, decimal = whole * 1000 + group, float(f"{whole}.{group:03d}")
    assert convention([text], ";") == ""  # it settles nothing itself
    assert spreadsheet_number(text, ";", "") is None
    assert spreadsheet_number(text, ";", "comma") == (thousands if mark == "." else decimal)
    assert spreadsheet_number(text, ";", "point") == (decimal if mark == "." else thousands)
    names = ("dots", "point") if mark == "." else ("commas", "comma")
    assert ambiguity(text, ";") == (
        f"{text!r} could be {thousands} ({names[0]} separating thousands) or {decimal:g} "
        f"(a decimal {names[1]})"
    )


@pytest.mark.parametrize(
    ("text", "delimiter", "decimals", "expected"),
    [
        ("0.125", ";", "", 0.125),  # a leading 0 is never a thousands group
        ("0.125", ";", "comma", 0.125),
        ("0,125", ";", "", 0.125),
        ("12,5", ";", "", 12.5),
        ("  7,25 ", "\t", "", 7.25),
        ("1.250.000", ";", "", 1250000.0),  # two groups: only thousands
        ("1,250,000", "\t", "", 1250000.0),
        ("1.234,5", ";", "point", 1234.5),  # its own form settles it, whatever the file says
        ("1234,567", ";", "", 1234.567),  # a group of four: no thousands separator
        ("12.000", ",", "", 12.0),  # a comma-separated file: a decimal point
        ("1e3", ";", "", 1000.0),
        ("-1.234", ";", "comma", -1234.0),
        ("+1,5", ";", "", 1.5),
    ],
)
def test_readings_worked_by_hand(text: str, delimiter: str, decimals: str, expected: float) -> None:
    assert spreadsheet_number(text, delimiter, decimals) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("0,125", ","),  # "0,125" in a comma file is no thousands grouping: not read as 125
        ("12,50,0", ","),
        ("1.2.3", ";"),
        ("inf", ";"),
        ("nan", ","),
        ("1e400", ","),  # overflows to infinity
        ("", ";"),
        ("twelve", ";"),
        ("12 %", ";"),
    ],
)
def test_what_is_not_read_as_a_number(text: str, delimiter: str) -> None:
    for decimals in ("", "comma", "point"):
        assert spreadsheet_number(text, delimiter, decimals) is None
    assert ambiguity(text, delimiter) is None


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["120,5", "7"], "comma"),
        (["1.250.000", "1.250"], "comma"),
        (["3.5", "1,250"], "point"),
        (["1,250,000"], "point"),
        (["120,5", "3.5"], ""),  # they disagree: nothing is settled
        (["1.250", "1,250", "7"], ""),
        (["sites 1,2", "v2.5 notes"], ""),  # text is no number, whatever digits it holds
    ],
)
def test_the_files_convention_is_what_its_settled_numbers_say(
    cells: list[str], expected: str
) -> None:
    assert convention(cells, ";") == expected
    assert convention(cells, ",") == ""


def test_finite_number() -> None:
    assert finite_number("2.5") == 2.5
    assert finite_number(3) == 3.0
    assert finite_number(None) is None
    assert finite_number("x") is None
    assert finite_number(math.inf) is None
    assert finite_number("-inf") is None
