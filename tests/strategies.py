"""Hypothesis strategies shared by the test modules, and the settings they run with."""

from __future__ import annotations

import json
import re

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Modest example counts keep the whole suite fast; no deadline (the first call compiles).
SETTINGS = settings(max_examples=60, deadline=None)

#: Fuzz tests (tests/test_fuzz*.py, tests/test_api_properties.py): 100 examples each in the normal
#: suite, or the loaded profile's budget when it is larger (``HYPOTHESIS_PROFILE=fuzz``, registered
#: in conftest.py, runs 5,000 each). Generated pack files are large, hence the health checks.
FUZZ = settings(
    max_examples=max(100, settings().max_examples),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Magnitudes a dashboard sees: positive, from tiny to large, never NaN or infinite.
positive = st.floats(min_value=1e-6, max_value=1e9, allow_nan=False, allow_infinity=False)

#: Any finite magnitude, negative and zero included.
finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)

#: Scale factors for linearity checks.
scales = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)

#: How many of each time unit make one month, worked from pint's definitions by hand:
#: a year is 365.25 days and a month a twelfth of it, so 1 month = 365.25 / 12 = 30.4375 days
#: = 30.4375 x 24 = 730.5 hours = 730.5 x 60 = 43,830 minutes; and 1 week = 7 days.
PER_MONTH: dict[str, float] = {
    "month": 1.0,
    "year": 1 / 12,
    "week": 30.4375 / 7,
    "day": 30.4375,
    "hour": 730.5,
    "minute": 43_830.0,
}

#: A time unit and how many of it make one month.
time_units = st.sampled_from(sorted(PER_MONTH.items()))

#: Kinds of the productivity pack reachable from transaction (capacity ``fte`` included).
productivity_targets = st.sampled_from(["manual_work", "fte", "labor_cost"])
productivity_kinds = st.sampled_from(["transaction", "manual_work", "fte", "labor_cost"])


@st.composite
def intervals(draw: st.DrawFn, lo: float = 1e-3, hi: float = 1e3) -> tuple[float, float, float]:
    """A positive (low, central, high) with low <= central <= high."""
    values = sorted(draw(st.floats(min_value=lo, max_value=hi)) for _ in range(3))
    return values[0], values[1], values[2]


#: Names an expression may use; the interval tests bind each to a positive interval.
NAMES = ("a", "b", "c")

_leaves = st.one_of(
    st.sampled_from(NAMES),
    st.integers(min_value=1, max_value=20).map(str),
    st.sampled_from(["0.5", "2.5", "1e2"]),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", " "]), children).map(
        lambda t: f"({t[0]}){t[1]}({t[2]})" if t[1] != " " else f"({t[0]}) ({t[2]})"
    )
    power = st.tuples(children, st.sampled_from(["2", "3", "-1", "-2", "0.5"])).map(
        lambda t: f"({t[0]})**{t[1]}"
    )
    negation = children.map(lambda c: f"-({c})")
    return st.one_of(binary, power, negation)


#: Arithmetic expressions over NAMES and small numbers, in the factor grammar.
expressions = st.recursive(_leaves, _combine, max_leaves=8)

#: Text that is not a number followed by a unit.
not_quantities = st.sampled_from(
    ["", "   ", "kWh", "twelve hours", "12..5 hour", "--3 hour", "(12) hour", "hour 12"]
)


# -- pack-shaped YAML documents and their mutations (tests/test_fuzz_packs.py) --------------------

#: Units a generated kind may be measured in; rule factors are written in "to/from" units, so a
#: conversion of 1 from-unit gives the factor's number in to-units without any unit arithmetic.
PACK_UNITS = ("kWh", "MJ", "kg", "lb", "minute", "hour", "mile", "USD", "transaction", "count")

#: Numbers a generated factor or parameter uses: positive and finite, written with repr().
pack_numbers = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


@attrs.frozen
class GeneratedRule:
    """A rule of a generated pack and the factor worked out while generating it."""

    source: str
    target: str
    source_unit: str
    target_unit: str
    factor: float  # central, in target_unit per source_unit
    low: float
    high: float


@attrs.frozen
class GeneratedPack:
    """A generated pack's YAML text and what converting along each rule must give."""

    text: str
    name: str
    kinds: dict[str, str]  # kind name -> unit
    rules: tuple[GeneratedRule, ...]


def _yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


@st.composite
def packs(draw: st.DrawFn, prefix: str = "fz") -> GeneratedPack:
    """A valid pack: kinds, a custom unit, parameters, rules forming a tree, and examples.

    Rules form a tree (each new kind is reached from one earlier kind), so there is exactly one
    path between two kinds and no cycle to keep consistent. Each rule's factor is a literal, a
    parameter, or an expression over a parameter; the expected factor is computed here.
    """
    count = draw(st.integers(min_value=2, max_value=6))
    kinds = {
        f"{prefix}_k{i}": draw(st.sampled_from((*PACK_UNITS, f"{prefix}_widget")))
        for i in range(count)
    }
    names = list(kinds)
    lines = [
        "equivmetrics: 1",
        f"name: {prefix}_pack",
        'edition: "1"',
        "license: MIT (generated)",
        "sources:",
        "  src: {title: Generated source, publisher: Hypothesis}",
        "units:",
        f'  {prefix}_widget: "[{prefix}_widget]"',
        f'  {prefix}_dozen: {{definition: "12 {prefix}_widget", aliases: [{prefix}_dz]}}',
        "kinds:",
    ]
    for name, unit in kinds.items():
        label = draw(st.sampled_from(["", f", label: {{one: {name} item, other: {name} items}}"]))
        lines.append(f"  {name}: {{unit: {unit}{label}}}")
    parameters: list[str] = []
    rules: list[GeneratedRule] = []
    rule_lines: list[str] = []
    for i in range(1, count):
        source = names[draw(st.integers(min_value=0, max_value=i - 1))]
        target = names[i]
        su, tu = kinds[source], kinds[target]
        number = draw(pack_numbers)
        form = draw(st.sampled_from(["literal", "parameter", "ranged", "expression"]))
        low = high = number
        if form == "literal":
            factor = f"{number!r} {tu}/{su}"
            cite = ", source: src"
        else:
            pname = f"{prefix}_p{i}"
            if form == "ranged":
                spread = draw(st.floats(min_value=1.0, max_value=3.0))
                low, high = number / spread, number * spread
                parameters.append(
                    f"  {pname}: {{value: {number!r} {tu}/{su}, low: {low!r} {tu}/{su}, "
                    f"high: {high!r} {tu}/{su}, source: src}}"
                )
            else:
                parameters.append(f"  {pname}: {{value: {number!r} {tu}/{su}, source: src}}")
            factor = pname
            cite = ""
            if form == "expression":
                scale = draw(st.integers(min_value=1, max_value=9))
                factor = f"({pname} * {scale}) / {scale} ** 2 * {scale}"  # = pname
        rules.append(GeneratedRule(source, target, su, tu, number, low, high))
        rule_lines.append(
            f"  - {{id: {prefix}_r{i}, from: {source}, to: {target}, factor: {_yaml_text(factor)}"
            f"{cite}}}"
        )
    if parameters:
        lines += ["parameters:", *parameters]
    lines += ["rules:", *rule_lines, "examples:"]
    for rule in rules:
        lines.append(
            f"  - {{given: 1 {rule.source_unit}, of: {rule.source}, to: {rule.target}, "
            f"expect: {rule.factor!r} {rule.target_unit}}}"
        )
    return GeneratedPack("\n".join(lines) + "\n", f"{prefix}_pack", kinds, tuple(rules))


#: What a mutation may insert: YAML syntax, hostile scalars, confusables and control characters.
_INSERTS = st.sampled_from(
    [
        ": ", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/object:os.system ", "!!binary ",
        "<<: ", "'", '"', "#", "|", ">", "\t", "\n", "  ", "\x00", "\ufeff", "\u200b", "\u202e",
        "kі", "ｋWh", "К", ".nan", ".inf", "-.inf", "1e999", "0", "-1", "1e-320", "~", "null",
        "no", "yes", "__import__('os')", "kWh**99999999", "9**9**9", "((((((((((",
    ]
)  # fmt: skip

#: Values a mutation may put in place of a number.
_NUMBER_SWAPS = st.sampled_from(
    [
        ".nan",
        ".inf",
        "-.inf",
        "nan",
        "inf",
        "1e999",
        "1e308",
        "0",
        "-1",
        "-0.0",
        "1e-320",
        "9" * 500,
    ]
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` after one to four random edits: deletions, insertions, truncation, duplicated
    or swapped lines, indentation changes and hostile numbers."""
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(
            st.sampled_from(
                ["delete", "insert", "unicode", "truncate", "swap", "duplicate", "indent", "number"]
            )
        )
        at = draw(st.integers(min_value=0, max_value=len(text)))
        lines = text.split("\n")
        row = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if op == "delete":
            text = text[:at] + text[at + draw(st.integers(min_value=1, max_value=40)) :]
        elif op == "insert":
            text = text[:at] + draw(_INSERTS) + text[at:]
        elif op == "unicode":
            text = text[:at] + draw(st.text(min_size=1, max_size=5)) + text[at:]
        elif op == "truncate":
            text = text[:at]
        elif op == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[row], lines[other] = lines[other], lines[row]
            text = "\n".join(lines)
        elif op == "duplicate":  # a duplicated line duplicates its key
            lines.insert(row, lines[row])
            text = "\n".join(lines)
        elif op == "indent":
            lines[row] = " " * draw(st.integers(min_value=0, max_value=6)) + lines[row].lstrip()
            text = "\n".join(lines)
        else:
            found = list(re.finditer(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", text))
            if found:
                match = found[draw(st.integers(min_value=0, max_value=len(found) - 1))]
                text = text[: match.start()] + draw(_NUMBER_SWAPS) + text[match.end() :]
    return text
