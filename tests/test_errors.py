"""The exception hierarchy: every error derives from EquivMetricsError and a matching builtin,
carries structured fields, prints a readable message and survives a trip to a worker process."""

from __future__ import annotations

import pickle

import pytest

import equivmetrics as em

LOC = em.Location("packs/mine.yaml", 12, 5)
PROBLEM = em.Problem(LOC, "rules.r1.factor", "unknown name 'x'", "did you mean 'y'?")


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (em.PackError, ValueError),
        (em.UnitError, ValueError),
        (em.PeriodError, ValueError),
        (em.InputError, TypeError),
        (em.UnknownKindError, LookupError),
        (em.AmbiguousKindError, LookupError),
        (em.NoPathError, LookupError),
        (em.ParameterError, LookupError),
    ],
)
def test_every_error_derives_from_the_base_and_a_builtin(cls: type, builtin: type) -> None:
    assert issubclass(cls, em.EquivMetricsError)
    assert issubclass(cls, builtin)
    assert issubclass(em.EquivMetricsError, Exception)


def test_period_error_is_a_unit_error() -> None:
    assert issubclass(em.PeriodError, em.UnitError)


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (em.Location("a.yaml"), "a.yaml"),
        (em.Location("a.yaml", 3), "a.yaml:3"),
        (em.Location("a.yaml", 3, 7), "a.yaml:3:7"),
        (em.Location("a.yaml", 0, 7), "a.yaml"),  # a column without a line means nothing
    ],
)
def test_location_text(location: em.Location, text: str) -> None:
    assert str(location) == text


def test_locations_sort_by_file_then_line_then_column() -> None:
    unsorted = [
        em.Location("b", 1, 1),
        em.Location("a", 9, 1),
        em.Location("a", 2, 8),
        em.Location("a", 2, 3),
    ]
    assert sorted(unsorted) == [
        em.Location("a", 2, 3),
        em.Location("a", 2, 8),
        em.Location("a", 9, 1),
        em.Location("b", 1, 1),
    ]


def test_problem_text_has_location_field_message_and_hint() -> None:
    assert str(PROBLEM) == (
        "packs/mine.yaml:12:5: rules.r1.factor: unknown name 'x' (did you mean 'y'?)"
    )
    assert str(em.Problem(LOC, "", "not valid YAML")) == "packs/mine.yaml:12:5: not valid YAML"


def test_pack_error_lists_every_problem_and_counts_them() -> None:
    other = em.Problem(em.Location("b.yaml", 1, 1), "name", "missing required field")
    error = em.PackError([PROBLEM, other])
    assert error.problems == (PROBLEM, other)
    text = str(error)
    assert text.startswith("2 problems in pack files")
    assert str(PROBLEM) in text
    assert str(other) in text
    assert str(em.PackError([other])).startswith("1 problem in pack files")


def test_lookup_errors_print_their_message_not_its_repr() -> None:
    # KeyError-like classes would print "'unknown kind ...'" with quotes around it.
    assert str(em.UnknownKindError("unknown kind 'x'", kind="x")) == "unknown kind 'x'"
    assert str(em.NoPathError("no rule leads", source="a", target="b")) == "no rule leads"
    assert str(em.ParameterError("unknown parameter", name="p")) == "unknown parameter"
    error = em.AmbiguousKindError("could be a or b", unit="kWh", candidates=["a", "b"])
    assert str(error) == "could be a or b"


def test_structured_fields() -> None:
    assert em.UnitError("bad", unit="kWhh").unit == "kWhh"
    assert em.InputError("bad", value=[1]).value == [1]
    unknown = em.UnknownKindError("m", kind="ftee", known=["fte", "transaction"])
    assert (unknown.kind, unknown.known) == ("ftee", ("fte", "transaction"))
    ambiguous = em.AmbiguousKindError("m", unit="MJ", candidates=["heat", "electricity"])
    assert (ambiguous.unit, ambiguous.candidates) == ("MJ", ("heat", "electricity"))
    no_path = em.NoPathError("m", source="a", target="b")
    assert (no_path.source, no_path.target) == ("a", "b")
    assert em.ParameterError("m", name="body_mass").name == "body_mass"


ERRORS = [
    em.PackError([PROBLEM]),
    em.UnitError("unknown unit 'kWhh'", unit="kWhh"),
    em.PeriodError("needs a period", unit="hour"),
    em.InputError("not a number", value="12"),
    em.UnknownKindError("unknown kind 'ftee'", kind="ftee", known=["fte"]),
    em.AmbiguousKindError("could be a or b", unit="MJ", candidates=["a", "b"]),
    em.NoPathError("no rule leads from a to b", source="a", target="b"),
    em.ParameterError("unknown parameter 'x'", name="x"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_fields(error: em.EquivMetricsError) -> None:
    # An error raised in a worker process (multiprocessing, concurrent.futures, Dask) is
    # pickled back to the caller; it must arrive whole.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
