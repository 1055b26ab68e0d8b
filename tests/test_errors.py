"""The exception hierarchy: every error derives from EquivMetricsError and a matching builtin,
carries structured fields, prints a readable message and survives a trip to a worker process."""

from __future__ import annotations

import builtins
import datetime as dt
import importlib
import pickle
import pkgutil
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics import exceptions

ROOT = Path(__file__).resolve().parent.parent

LOC = em.Location("packs/mine.yaml", 12, 5)
PROBLEM = em.Problem(LOC, "rules.r1.factor", "unknown name 'x'", "did you mean 'y'?")


#: Each class and the one builtin it derives from (None: it only groups its subclasses).
#: Issue 12 changed InputError (a TypeError before) and ParameterError (a LookupError before)
#: into groups whose subclasses carry the builtin that fits each mistake.
BUILTINS: list[tuple[type, type | None]] = [
    (em.PackError, ValueError),
    (em.ExprError, ValueError),
    (em.UnitError, ValueError),
    (em.PeriodError, ValueError),
    (em.InputError, None),
    (em.InputTypeError, TypeError),
    (em.InputValueError, ValueError),
    (em.InputLookupError, LookupError),
    (em.NegativeValueError, ValueError),
    (em.LocaleError, ValueError),
    (em.UnknownKindError, LookupError),
    (em.AmbiguousKindError, LookupError),
    (em.NoPathError, LookupError),
    (em.NoEquivalentError, LookupError),
    (em.ParameterError, None),
    (em.UnknownParameterError, LookupError),
    (em.ParameterTypeError, TypeError),
    (em.ParameterValueError, ValueError),
]


@pytest.mark.parametrize(("cls", "builtin"), BUILTINS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_error_derives_from_the_base_and_a_builtin(cls: type, builtin: type | None) -> None:
    assert issubclass(cls, em.EquivMetricsError)
    assert issubclass(em.EquivMetricsError, Exception)
    kinds = {b for b in (TypeError, ValueError, LookupError) if issubclass(cls, b)}
    assert kinds == ({builtin} if builtin else set())


def test_the_split_classes_keep_their_parents() -> None:
    # code that caught InputError or ParameterError before the split still catches them all
    for child in (em.InputTypeError, em.InputValueError, em.InputLookupError):
        assert issubclass(child, em.InputError)
    for grouped in (em.UnknownParameterError, em.ParameterTypeError, em.ParameterValueError):
        assert issubclass(grouped, em.ParameterError)


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
    none = em.NoEquivalentError("m", source="a", role="feel_good", roles=["action"])
    assert (none.source, none.target, none.role, none.roles) == ("a", "", "feel_good", ("action",))
    assert isinstance(none, em.NoPathError)  # code catching NoPathError catches it too
    assert em.ParameterError("m", name="body_mass").name == "body_mass"


ERRORS = [
    em.PackError([PROBLEM]),
    em.UnitError("unknown unit 'kWhh'", unit="kWhh"),
    em.PeriodError("needs a period", unit="hour"),
    em.InputError("not a number", value="12"),
    em.UnknownKindError("unknown kind 'ftee'", kind="ftee", known=["fte"]),
    em.AmbiguousKindError("could be a or b", unit="MJ", candidates=["a", "b"]),
    em.NoPathError("no rule leads from a to b", source="a", target="b"),
    em.NoEquivalentError(
        "no feel_good equivalents", source="a", role="feel_good", roles=["action"]
    ),
    em.ParameterError("unknown parameter 'x'", name="x"),
    em.UnknownParameterError("unknown parameter 'x'", name="x"),
    em.ParameterValueError("parameter 'x' must be positive", name="x"),
    em.ParameterTypeError("parameter 'x': cannot use [1]", name="x"),
    em.InputTypeError("not a number", value="12"),
    em.InputValueError("too large", value=10**400),
    em.InputLookupError("no column 'kwh'", value="kwh"),
    em.ExprError("unexpected '$'", 5, "factors use numbers"),
    em.LocaleError("unknown locale 'xx'"),
    em.NegativeValueError("-5 kWh is negative", kind="electricity", count=1, first=None),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_errors_pickle_with_their_fields(error: em.EquivMetricsError) -> None:
    # An error raised in a worker process (multiprocessing, concurrent.futures, Dask) is
    # pickled back to the caller; it must arrive whole.
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)


# -- the tree, the codes, and where each class lives ----------------------------------------------

#: The stable codes (docs/errors.md), written out by hand: JSON outputs carry them.
CODES = {
    em.EquivMetricsError: "EquivMetricsError",
    em.PackError: "PackError",
    em.ExprError: "ExprError",
    em.UnitError: "UnitError",
    em.PeriodError: "PeriodError",
    em.InputError: "InputError",
    em.InputTypeError: "InputError",
    em.InputValueError: "InputError",
    em.InputLookupError: "InputError",
    em.NegativeValueError: "NegativeValueError",
    em.ScorecardError: "ScorecardError",
    em.LocaleError: "LocaleError",
    em.UnknownKindError: "UnknownKindError",
    em.AmbiguousKindError: "AmbiguousKindError",
    em.NoPathError: "NoPathError",
    em.NoEquivalentError: "NoEquivalentError",
    em.ParameterError: "ParameterError",
    em.UnknownParameterError: "ParameterError",
    em.ParameterTypeError: "ParameterError",
    em.ParameterValueError: "ParameterError",
}

#: Exception classes defined outside equivmetrics.exceptions: signals that never leave the
#: module that raises them (each has a test below proving it).
INTERNAL = {
    "equivmetrics._packs.yaml.YamlFailure",
    "equivmetrics._packs.plugins._Refused",
    "equivmetrics._integrations.stream.RequestError",
    "equivmetrics._integrations.batch_files.UsageError",
    # a batch run stopped by SIGTERM or SIGHUP: an exit code
    "equivmetrics._integrations.batch_output.Interrupted",
    # the HTTP service: an error response, and a tenant file it will not serve (an InputError)
    "equivmetrics._integrations.server.HttpError",
    "equivmetrics._integrations.server_tenants.TenantFileError",
}


def _public_errors() -> list[type]:
    return [
        obj
        for name in exceptions.__all__
        if isinstance(obj := getattr(exceptions, name), type) and issubclass(obj, BaseException)
    ]


def test_every_public_error_is_exported_and_has_its_code() -> None:
    errors = _public_errors()
    assert set(errors) == set(CODES)
    for cls in errors:
        assert getattr(em, cls.__name__) is cls
        assert cls.__name__ in em.__all__
        assert cls.code == CODES[cls], cls
        assert cls.__module__ == "equivmetrics"  # tracebacks say equivmetrics.UnitError


def test_the_codes_are_documented() -> None:
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| `(\w+)` \|", text, re.MULTILINE))
    assert rows == {cls.__name__: code for cls, code in CODES.items()}
    assert "`bad_request`" in text
    assert "`internal_error`" in text
    assert "docs/errors.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_docstring_tree_is_the_hierarchy() -> None:
    doc = exceptions.__doc__ or ""
    start = doc.rindex("\n", 0, doc.index("EquivMetricsError  ")) + 1
    tree = textwrap.dedent(doc[start : doc.index("\n\n", start)])
    line = re.compile(r"^(?P<indent>[ │├└─]*)(?P<name>[A-Z]\w+)(?: \((?P<builtin>\w+)\))?  ")
    parents: dict[int, type] = {}
    seen = []
    for text in tree.splitlines():
        match = line.match(text)
        if match is None:  # a continuation of the line above
            continue
        cls = getattr(em, match["name"])
        depth = len(match["indent"])
        seen.append(cls)
        if depth:
            assert cls.__bases__[0] is parents[depth - 4], cls
        if match["builtin"]:
            assert getattr(builtins, match["builtin"]) in cls.__bases__, cls
        else:  # no builtin named: it has none of its own
            assert not {TypeError, ValueError, LookupError} & set(cls.__bases__), cls
        parents[depth] = cls
    assert set(seen) == set(CODES)


def _defined_errors() -> dict[str, type]:
    """Every exception class defined in a module of the package, by its qualified name."""
    found = {}
    package = Path(em.__file__).parent
    for info in pkgutil.walk_packages([str(package)], "equivmetrics."):
        if info.name.split(".")[-1] in ("dask", "__main__"):
            continue  # dask: imported by its own tests; __main__ runs the command line
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if not (isinstance(obj, type) and issubclass(obj, BaseException)):
                continue
            # the public classes say "equivmetrics" (see __init__); others their own module
            home = "equivmetrics" if info.name == "equivmetrics.exceptions" else info.name
            if obj.__module__ == home:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_error_class_is_in_exceptions_or_an_internal_signal() -> None:
    defined = _defined_errors()
    outside = {name for name in defined if not name.startswith("equivmetrics.exceptions.")}
    assert outside == INTERNAL
    # and the source defines no other: a class statement naming an exception base
    pattern = re.compile(r"^class (\w+)\((?:[\w.]*(?:Error|Exception|Failure)\b)", re.MULTILINE)
    written = set()
    for path in Path(em.__file__).parent.rglob("*.py"):
        module = ".".join(path.relative_to(Path(em.__file__).parent.parent).with_suffix("").parts)
        written |= {f"{module}.{name}" for name in pattern.findall(path.read_text("utf-8"))}
    assert written == set(defined)


def test_no_error_overrides_str_for_nothing() -> None:
    # LookupError (unlike KeyError) prints its message as it is: no __str__ is needed for it
    assert str(LookupError("unknown kind 'x'")) == "unknown kind 'x'"
    for cls in _public_errors():
        assert "__str__" not in vars(cls), cls


# -- every bad-input path: its class, its builtin, and a message saying what and where ---------


#: The bad inputs below are wrong on purpose, many of them in type: they go through untyped
#: names so that the type checker lets them through, as a caller without one would.
wrong: Any = em


def _engine() -> Any:
    return em.load()


#: (id, call, class, builtin, what the message must say). Worked out from the inputs: each
#: names the argument (where) and what was wrong with it (what).
BAD_INPUTS: list[tuple[str, Any, type, type, tuple[str, ...]]] = [
    # -- quantities
    (
        "huge int",
        lambda: wrong.convert((10**400, "kWh"), "co2e"),
        em.InputValueError,
        ValueError,
        ("magnitude", "too large for a 64-bit float"),
    ),
    (
        "None quantity",
        lambda: wrong.convert(None, "co2e"),
        em.InputTypeError,
        TypeError,
        ("cannot convert a NoneType",),
    ),
    (
        "triple",
        lambda: wrong.convert((1, "kWh", 2), "co2e"),
        em.InputTypeError,
        TypeError,
        ("a pair must be (magnitude, 'unit')",),
    ),
    (
        "text magnitude",
        lambda: wrong.convert(("12", "kWh"), "co2e"),
        em.InputTypeError,
        TypeError,
        ("a magnitude must be a number", "not str"),
    ),
    (
        "bool magnitude",
        lambda: wrong.convert((True, "kWh"), "co2e"),
        em.InputTypeError,
        TypeError,
        ("a magnitude must be a number", "not bool"),
    ),
    (
        "unknown unit",
        lambda: wrong.convert("12 kWhh", "co2e"),
        em.UnitError,
        ValueError,
        ("unknown unit 'kWhh'",),
    ),
    (
        "garbage after unit",
        lambda: wrong.convert("5 kWh; x", "co2e"),
        em.UnitError,
        ValueError,
        ("unexpected ';'", "'kWh; x'"),
    ),
    # -- options
    (
        "negative maybe",
        lambda: wrong.convert("5 kWh", "co2e", negative="maybe"),
        em.InputValueError,
        ValueError,
        ("negative='maybe'", "is not a policy"),
    ),
    (
        "negative 5",
        lambda: wrong.convert("5 kWh", "co2e", negative=5),
        em.InputTypeError,
        TypeError,
        ("negative=5", "is not a policy"),
    ),
    (
        "to 5",
        lambda: wrong.convert("5 kWh", 5),
        em.InputTypeError,
        TypeError,
        ("to= must be text", "int"),
    ),
    (
        "to None",
        lambda: wrong.convert("5 kWh", None),
        em.InputTypeError,
        TypeError,
        ("to= must name the target kind",),
    ),
    (
        "per 5",
        lambda: wrong.convert("5 kWh", "co2e", per=5),
        em.InputTypeError,
        TypeError,
        ("per= must be text",),
    ),
    (
        "per unknown",
        lambda: wrong.convert("12000 transaction", "fte", per="fortnite"),
        em.UnitError,
        ValueError,
        ("per='fortnite'",),
    ),
    (
        "unknown kind",
        lambda: wrong.convert("5 kWh", "co2ee"),
        em.UnknownKindError,
        LookupError,
        ("unknown kind 'co2ee'",),
    ),
    (
        "ambiguous unit",
        lambda: wrong.convert("5 minute", "co2e"),
        em.AmbiguousKindError,
        LookupError,
        ("'minute' could be any of", "of="),
    ),
    (
        "no path",
        lambda: wrong.convert("5 kWh", "walking"),
        em.NoPathError,
        LookupError,
        ("no rule leads from 'electricity_avoided' to 'walking'",),
    ),
    (
        "total for a capacity",
        lambda: wrong.convert("600 hour", "fte", of="manual_work"),
        em.PeriodError,
        ValueError,
        ("needs a period", "per="),
    ),
    (
        "negative refused",
        lambda: wrong.convert("-5 kWh", "tree_seedling"),
        em.NegativeValueError,
        ValueError,
        ("-5 kWh is negative", "'electricity_avoided'"),
    ),
    # -- equivalents
    (
        "top 0",
        lambda: wrong.feel_good("5 kWh", top=0),
        em.InputValueError,
        ValueError,
        ("top=", "at least 1", "got 0"),
    ),
    (
        "only none",
        lambda: wrong.feel_good("5 kWh", only=[]),
        em.InputValueError,
        ValueError,
        ("only= names no kind", "leave only= out"),
    ),
    (
        "no feel-good equivalents",
        lambda: wrong.feel_good("420 kcal"),
        em.NoEquivalentError,
        LookupError,
        ("420 kcal of food_energy has no feel_good equivalents", "action()"),
    ),
    (
        "top text",
        lambda: wrong.feel_good("5 kWh", top="3"),
        em.InputTypeError,
        TypeError,
        ("top=", "got '3'"),
    ),
    (
        "sig 9",
        lambda: wrong.feel_good("5 kWh", sig=9),
        em.InputValueError,
        ValueError,
        ("sig=", "from 1 to 6", "got 9"),
    ),
    (
        "sig text",
        lambda: wrong.feel_good("5 kWh", sig="2"),
        em.InputTypeError,
        TypeError,
        ("sig=", "got '2'"),
    ),
    (
        "locale 5",
        lambda: wrong.feel_good("5 kWh", locale=5),
        em.InputTypeError,
        TypeError,
        ("locale must be text", "not 5"),
    ),
    (
        "unknown locale",
        lambda: wrong.feel_good("5 kWh", locale="xx_YY"),
        em.LocaleError,
        ValueError,
        ("unknown locale 'xx_YY'",),
    ),
    (
        "only numbers",
        lambda: wrong.feel_good("5 kWh", only=[5]),
        em.InputTypeError,
        TypeError,
        ("only=", "kind name"),
    ),
    (
        "only unknown",
        lambda: wrong.feel_good("5 kWh", only=["treez"]),
        em.UnknownKindError,
        LookupError,
        ("'treez'",),
    ),
    (
        "nan equivalent",
        lambda: wrong.feel_good((float("nan"), "kWh")),
        em.InputValueError,
        ValueError,
        ("cannot word nan kWh", "finite number"),
    ),
    # -- tenants
    (
        "unknown parameter",
        lambda: _engine().with_params(minutes_per_transction="4 min"),
        em.UnknownParameterError,
        LookupError,
        ("unknown parameter 'minutes_per_transction'",),
    ),
    (
        "negative override",
        lambda: _engine().with_params(body_mass="-80 kg"),
        em.ParameterValueError,
        ValueError,
        ("parameter 'body_mass'", "must be positive"),
    ),
    (
        "zero override",
        lambda: _engine().with_params(body_mass="0 kg"),
        em.ParameterValueError,
        ValueError,
        ("parameter 'body_mass'", "must be positive"),
    ),
    (
        "override dimension",
        lambda: _engine().with_params(body_mass="80 kWh"),
        em.ParameterValueError,
        ValueError,
        ("parameter 'body_mass'", "is measured in"),
    ),
    (
        "override list",
        lambda: _engine().with_params(body_mass=[80]),
        em.ParameterTypeError,
        TypeError,
        ("parameter 'body_mass'", "cannot use [80]"),
    ),
    (
        "override huge",
        lambda: _engine().with_params(body_mass=10**400),
        em.ParameterValueError,
        ValueError,
        ("parameter 'body_mass'", "too large"),
    ),
    (
        "override mapping",
        lambda: _engine().with_params(body_mass={"valu": 80}),
        em.ParameterValueError,
        ValueError,
        ("parameter 'body_mass'", "'value'"),
    ),
    (
        "override text",
        lambda: _engine().with_params(body_mass="80 kg +"),
        em.ParameterValueError,
        ValueError,
        ("parameter 'body_mass'", "expression ends too early"),
    ),
    # -- loading
    (
        "pack path 5",
        lambda: wrong.load(5),
        em.InputTypeError,
        TypeError,
        ("a pack path must be text or a path", "int"),
    ),
    (
        "missing pack",
        lambda: wrong.load("no/such/pack.yaml"),
        em.PackError,
        ValueError,
        ("pack.yaml", "no such file or folder"),
    ),
    (
        "limits 5",
        lambda: wrong.load(limits=5),
        em.InputTypeError,
        TypeError,
        ("limits=", "em.Limits"),
    ),
    (
        "plugins 5",
        lambda: wrong.load(plugins=5),
        em.InputTypeError,
        TypeError,
        ("plugins=", "not 5"),
    ),
    (
        "engine by hand",
        lambda: wrong.Engine(5),
        em.InputTypeError,
        TypeError,
        ("Engine takes a Catalog", "got int"),
    ),
    (
        "compiled text",
        lambda: _engine().compile("kWh", "co2e").apply("x"),
        em.InputTypeError,
        TypeError,
        ("cannot convert str 'x'",),
    ),
    # -- series
    (
        "series not pairs",
        lambda: _engine().series(5, "fte"),
        em.InputTypeError,
        TypeError,
        ("a series takes a mapping", "not int"),
    ),
    (
        "series empty",
        lambda: _engine().series({}, "fte"),
        em.InputValueError,
        ValueError,
        ("at least one period",),
    ),
    (
        "period number",
        lambda: _engine().series({5: 1}, "manual_work", unit="transaction"),
        em.InputTypeError,
        TypeError,
        ("cannot read the period 5",),
    ),
    (
        "period text",
        lambda: _engine().series({"Feb": 1}, "manual_work", unit="transaction"),
        em.InputValueError,
        ValueError,
        ("cannot read the period 'Feb'",),
    ),
    (
        "no such day",
        lambda: _engine().series({"2026-02-30": 1}, "manual_work", unit="transaction"),
        em.InputValueError,
        ValueError,
        ("period '2026-02-30' is not a calendar date",),
    ),
    (
        "periods overlap",
        lambda: _engine().series({"2026": 1, "2026-02": 1}, "manual_work", unit="transaction"),
        em.InputValueError,
        ValueError,
        ("periods 2026 and 2026-02 overlap",),
    ),
    (
        "bare number",
        lambda: _engine().series({"2026-01": 1}, "manual_work"),
        em.InputTypeError,
        TypeError,
        ("bare numbers in a series need unit=",),
    ),
    (
        "dates backwards",
        lambda: _engine().series(
            {(dt.date(2026, 2, 1), dt.date(2026, 1, 1)): 1}, "manual_work", unit="transaction"
        ),
        em.InputValueError,
        ValueError,
        ("must end after it starts",),
    ),
    # -- metrics and rewards
    (
        "metric role",
        lambda: wrong.Metric(source="transaction", role="maybe"),
        em.InputValueError,
        ValueError,
        ("role must be one of", "'maybe'"),
    ),
    (
        "metric role 5",
        lambda: wrong.Metric(source="transaction", role=5),
        em.InputTypeError,
        TypeError,
        ("role must be one of", "not 5"),
    ),
    (
        "metric source None",
        lambda: wrong.Metric(source=None),
        em.InputTypeError,
        TypeError,
        ("Metric source must be a kind name", "None"),
    ),
    (
        "metric source empty",
        lambda: wrong.Metric(source=""),
        em.InputValueError,
        ValueError,
        ("Metric source must be a kind name", "''"),
    ),
    (
        "metric top 0",
        lambda: wrong.Metric(source="transaction", top=0),
        em.InputValueError,
        ValueError,
        ("Metric top", "not 0"),
    ),
    (
        "metric engines",
        lambda: wrong.Metric(source="transaction", unit="transaction").apply_many(
            {"acme": 1}, engines={}
        ),
        em.InputLookupError,
        LookupError,
        ("no engine for 'acme'",),
    ),
    (
        "reward every",
        lambda: wrong.RewardRule("leave", every="-5 hour", grant="2 hour"),
        em.InputValueError,
        ValueError,
        ("reward 'leave' every", "positive amount"),
    ),
    (
        "reward value",
        lambda: wrong.RewardRule("leave", every="100 hour", grant="2 hour").apply(5),
        em.InputTypeError,
        TypeError,
        ("reward 'leave' needs a Result", "not 5"),
    ),
    # -- presentation
    (
        "render 5",
        lambda: wrong.render_html(5),
        em.InputTypeError,
        TypeError,
        ("render_html takes Equivalent objects", "int"),
    ),
    (
        "heading 9",
        lambda: wrong.render_html([], heading_level=9),
        em.InputValueError,
        ValueError,
        ("heading_level=", "got 9"),
    ),
    (
        "heading text",
        lambda: wrong.render_html([], heading_level="2"),
        em.InputTypeError,
        TypeError,
        ("heading_level=", "got '2'"),
    ),
    (
        "title 5",
        lambda: wrong.render_html([], title=5),
        em.InputTypeError,
        TypeError,
        ("title= must be text",),
    ),
    (
        "lang bad",
        lambda: wrong.render_html([], lang="??"),
        em.InputValueError,
        ValueError,
        ("lang= must be a language tag", "'??'"),
    ),
    (
        "lang 5",
        lambda: wrong.render_html([], lang=5),
        em.InputTypeError,
        TypeError,
        ("lang= must be a language tag", "got 5"),
    ),
    # -- scenarios (TEI: one cost for the initial period and one for each of 3 years)
    (
        "costs too few",
        lambda: wrong.Scenario(100_000, costs=(1, 2)),
        em.InputValueError,
        ValueError,
        ("costs has 2 amounts", "years=3 needs 4"),
    ),
    (
        "costs text",
        lambda: wrong.Scenario(100_000, costs="lots"),
        em.InputTypeError,
        TypeError,
        ("costs must be a sequence",),
    ),
    (
        "adoption 75",
        lambda: wrong.Scenario(100_000, costs=(1, 2, 3, 4), adoption=75),
        em.InputValueError,
        ValueError,
        ("adoption = 75", "over 100 %"),
    ),
    (
        "adoption text",
        lambda: wrong.Scenario(100_000, costs=(1, 2, 3, 4), adoption="all"),
        em.InputTypeError,
        TypeError,
        ("adoption must be a share", "'all'"),
    ),
    (
        "years 0",
        lambda: wrong.Scenario(100_000, costs=(1,), years=0),
        em.InputValueError,
        ValueError,
        ("years must be a whole number", "got 0"),
    ),
    (
        "years 1.5",
        lambda: wrong.Scenario(100_000, costs=(1, 2), years=1.5),
        em.InputTypeError,
        TypeError,
        ("years must be a whole number", "got 1.5"),
    ),
    (
        "currency XYZ",
        lambda: wrong.Scenario(100_000, costs=(1, 2, 3, 4), currency="XYZ"),
        em.InputValueError,
        ValueError,
        ("currency must be one of", "'XYZ'"),
    ),
    (
        "currency 5",
        lambda: wrong.Scenario(100_000, costs=(1, 2, 3, 4), currency=5),
        em.InputTypeError,
        TypeError,
        ("currency must be one of", "got 5"),
    ),
    (
        "cost key",
        lambda: wrong.Scenario(100_000, costs={7: 1}),
        em.InputValueError,
        ValueError,
        ("costs has key 7",),
    ),
    (
        "cost key float",
        lambda: wrong.Scenario(100_000, costs={1.5: 1}),
        em.InputTypeError,
        TypeError,
        ("costs has key 1.5",),
    ),
    (
        "discount",
        lambda: wrong.Scenario(100_000, costs=(1, 2, 3, 4), discount_rate=-2),
        em.InputValueError,
        ValueError,
        ("discount_rate = -2", "greater than -1"),
    ),
    (
        "benefit text",
        lambda: wrong.Scenario("lots", costs=(1, 2, 3, 4)),
        em.InputValueError,
        ValueError,
        ("cannot read annual_benefit 'lots'",),
    ),
    (
        "benefit none",
        lambda: wrong.Scenario(None, costs=(1, 2, 3, 4)),
        em.InputTypeError,
        TypeError,
        ("cannot read annual_benefit None",),
    ),
    (
        "from_usage",
        lambda: wrong.Scenario.from_usage("engine", "1 kWh", costs=(1, 2, 3, 4)),
        em.InputTypeError,
        TypeError,
        ("from_usage needs an Engine", "got str"),
    ),
    (
        "replace rate",
        lambda: wrong.Scenario(100_000, costs=(1, 2, 3, 4)).replace(rate=0.1),
        em.InputTypeError,
        TypeError,
        ("replace() got unknown argument(s) rate",),
    ),
]


@pytest.mark.parametrize(
    ("call", "cls", "builtin", "says"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_each_bad_input_gets_its_error(
    call: Any, cls: type, builtin: type, says: tuple[str, ...]
) -> None:
    with pytest.raises(em.EquivMetricsError) as info:
        call()
    error = info.value
    assert type(error) is cls
    assert isinstance(error, builtin)
    others = {TypeError, ValueError, LookupError} - {builtin}
    assert not any(isinstance(error, other) for other in others)
    for text in says:
        assert text in str(error), (text, str(error))


def test_data_frame_inputs() -> None:
    pd = pytest.importorskip("pandas")
    import equivmetrics.pandas  # noqa: F401 - registers the .equiv accessor

    frame = pd.DataFrame({"kwh": ["1", "2"]})
    with pytest.raises(
        em.InputTypeError, match=r"column 'kwh' has dtype (object|str); converting needs numbers"
    ):
        frame["kwh"].equiv.convert("co2e", from_unit="kWh")
    with pytest.raises(em.InputLookupError, match=r"no column 'mwh'; the frame has \['kwh'\]"):
        frame.equiv.convert_frame("mwh", "co2e", from_unit="kWh")
    pl = pytest.importorskip("polars")
    from equivmetrics.polars import convert_polars

    with pytest.raises(em.InputTypeError, match="convert_polars takes a polars Series, not list"):
        convert_polars([1.0], "co2e", from_unit="kWh")  # type: ignore[arg-type]
    with pytest.raises(em.InputTypeError, match="has dtype String"):
        convert_polars(pl.Series("kwh", ["1"]), "co2e", from_unit="kWh")


# -- internal signals never reach a caller --------------------------------------------------------

#: YAML that stops the reader (each would raise the internal YamlFailure inside the reader).
STOPPING_YAML = {
    "not yaml": ("equivmetrics: 1\nname: [unclosed\n", "not valid YAML"),
    "tag": ("equivmetrics: !!python/object:os.system 1\n", "unsupported tag"),
    "merge key": ("!!merge a: 1\n", "merge keys"),
    "key not text": ("{[1, 2]: 3}\n", "mapping keys must be plain strings"),
    "too deep": ("a: " + "[" * 100 + "]" * 100 + "\n", "nested deeper than 64 levels"),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
            for p, n in zip("abcdefg", "bcdefgh", strict=True)
        ),
        "more than 200000 values",
    ),
    "long integer": ("a: " + "9" * 5000 + "\n", "integer literal too long"),
}


@pytest.mark.parametrize(("text", "says"), STOPPING_YAML.values(), ids=list(STOPPING_YAML))
def test_yaml_failures_become_pack_errors(text: str, says: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(em.PackError) as info:
        em.load(path, bundled=False)
    [problem] = info.value.problems
    assert problem.location.file == str(path)
    assert says in problem.message


def test_a_batch_run_stopped_by_a_signal_becomes_an_exit_code(
    monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import signal

    from equivmetrics._integrations import cli
    from equivmetrics._integrations.batch_output import Interrupted

    def stopped(*args: Any, **kwargs: Any) -> None:
        raise Interrupted(signal.SIGTERM)

    monkeypatch.setattr(cli, "run_batch", stopped)
    argv = ["batch", "in.csv", "--column", "kwh", "--unit", "kWh", "--to", "co2e", "-o", "o.csv"]
    assert cli.main(argv) == 128 + signal.SIGTERM
    assert "equivmetrics: stopped by signal SIGTERM" in capsys.readouterr().err


def test_refused_plugins_become_pack_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlib import metadata

    from equivmetrics._packs import plugins

    group = "equivmetrics.packs"
    broken = [
        metadata.EntryPoint("gone", "equivmetrics_no_such_module_xyz", group),
        metadata.EntryPoint("plain", "math", group),
        metadata.EntryPoint("number", "math:pi", group),
        metadata.EntryPoint("nowhere", "equivmetrics._version:__version__", group),
    ]
    monkeypatch.setattr(plugins, "discover", lambda: broken)
    with pytest.raises(em.PackError) as info:
        em.load(ROOT / "tests" / "packs" / "good" / "energy.yaml", bundled=False, plugins=True)
    messages = [p.message for p in info.value.problems]
    assert len(messages) == 4
    assert "failed to import: ModuleNotFoundError" in messages[0]
    assert "which is not a package" in messages[1]
    assert "gives a float" in messages[2]
    assert (
        "names '0.1.0.dev0', which does not exist" in messages[3]
        or "does not exist" in (messages[3])
    )


@pytest.mark.parametrize(
    "line",
    [
        b"not json",
        b"[1, 2]",
        b'{"quantity": "1 kWh", "to": "co2e", "bogus": 1}',
        b'{"to": "co2e"}',
        b'{"quantity": 5, "to": "co2e"}',
        b'{"quantity": "1 kWh", "to": 5}',
        b'{"quantity": "1 kWh", "to": "co2e", "params": []}',
        b'{"quantity": "1 kWh", "to": "co2e", "of": 3}',
        b'{"quantity": "1 kWh", "to": "co2e", "x": NaN}',
        b"\xff\xfe",
    ],
)
def test_bad_requests_become_error_lines(line: bytes) -> None:
    from equivmetrics._integrations.stream import Bridge

    response = Bridge(em.load(), "convert").answer(line)
    assert response is not None
    assert response["error"]["code"] == "bad_request"


@pytest.mark.parametrize(
    "options",
    [
        ["--to", "co2e,", "--delimiter", "ab"],
        ["--to", ":kg"],
        ["--to", "co2e", "--encoding", "no-such-codec"],
        ["--to", "co2e", "--column", "nope"],
    ],
    ids=["delimiter", "target", "encoding", "column"],
)
def test_batch_usage_errors_end_as_usage_messages(
    options: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from equivmetrics._integrations.cli import main

    source = tmp_path / "in.csv"
    source.write_text("kwh\n1\n", encoding="utf-8")
    argv = ["batch", str(source), "--column", "kwh", "--unit", "kWh", "-o", str(tmp_path / "o")]
    with pytest.raises(SystemExit) as info:
        main([*argv, *options])
    assert info.value.code == 2
    assert "equivmetrics batch: error: " in capsys.readouterr().err
