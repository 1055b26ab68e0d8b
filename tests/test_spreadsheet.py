"""Numbers as spreadsheets export them (``equivmetrics._integrations.spreadsheet``), shared by
the report's totals and the scorecard's team numbers: round trips through each export
convention, and the readings that must not be guessed."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from equivmetrics._integrations.spreadsheet import (
    ambiguous,
    decimal_commas,
    finite_number,
    spreadsheet_number,
)
from strategies import SETTINGS

#: Amounts with up to two decimals, as a spreadsheet shows money or hours.
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
@given(cents=CENTS)
def test_a_semicolon_files_decimal_comma_and_thousands_dots_round_trip(cents: int) -> None:
    text = _grouped(cents, ".", ",")
    assert decimal_commas([text], ";")
    assert spreadsheet_number(text, ";", comma=True) == cents / 100


@SETTINGS
@given(cents=CENTS, delimiter=st.sampled_from([",", ";", "\t"]))
def test_thousands_spaces_round_trip_with_either_decimal_mark(cents: int, delimiter: str) -> None:
    """A space (or no-break, or narrow no-break space) separates thousands in any file; the
    decimal mark is the file's: a comma unless the columns are separated by commas."""
    for space in (" ", "\u00a0", "\u202f"):
        text = _grouped(cents, space, "," if delimiter != "," else ".")
        assert spreadsheet_number(text, delimiter, comma=delimiter != ",") == cents / 100


@SETTINGS
@given(cents=CENTS)
def test_a_comma_files_quoted_thousands_round_trip(cents: int) -> None:
    text = _grouped(cents, ",", ".")
    assert not decimal_commas([text], ",")  # a comma-separated file never writes them
    assert spreadsheet_number(text, ",", comma=False) == cents / 100


@pytest.mark.parametrize(
    ("text", "delimiter", "comma", "expected"),
    [
        ("12.000", ";", True, 12000.0),  # the file writes decimal commas: dots are thousands
        ("12.000", ",", False, 12.0),  # a comma file: a decimal point
        ("0.125", ";", False, 0.125),  # a leading 0 is never a thousands group
        ("0.125", ";", True, 0.125),
        ("0,125", ";", True, 0.125),
        ("12,5", ";", True, 12.5),
        ("  7,25 ", "\t", True, 7.25),
        ("1e3", ";", False, 1000.0),
    ],
)
def test_readings_worked_by_hand(text: str, delimiter: str, comma: bool, expected: float) -> None:
    assert spreadsheet_number(text, delimiter, comma=comma) == expected


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("12.000", ";"),  # twelve, or twelve thousand? No decimal comma in the file to tell
        ("-1.234.567", "\t"),
        ("0,125", ","),  # "0,125" in a comma file is no thousands grouping: not read as 125
        ("12,50,0", ","),
        ("inf", ";"),
        ("nan", ","),
        ("1e400", ","),  # overflows to infinity
        ("", ";"),
        ("twelve", ";"),
    ],
)
def test_what_is_not_read_as_a_number(text: str, delimiter: str) -> None:
    assert spreadsheet_number(text, delimiter, comma=False) is None


def test_ambiguous_is_dots_alone_in_a_file_not_separated_by_commas() -> None:
    assert ambiguous("12.000", ";")
    assert ambiguous(" 1.234.567 ", "\t")
    assert not ambiguous("12.000", ",")
    assert not ambiguous("0.125", ";")
    assert not ambiguous("12.5", ";")


def test_finite_number() -> None:
    assert finite_number("2.5") == 2.5
    assert finite_number(3) == 3.0
    assert finite_number(None) is None
    assert finite_number("x") is None
    assert finite_number(math.inf) is None
    assert finite_number("-inf") is None
