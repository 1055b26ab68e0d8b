"""Fuzzing the factor grammar: anything but arithmetic is refused with an ExprError, and
well-formed expressions evaluate to what exact arithmetic on the same tree gives.

The reference values are computed here with :class:`fractions.Fraction` on a tree the test
generates itself; the module under test only ever sees the tree's text.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._catalog import values as _values
from equivmetrics._core.expr import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_OPERATIONS,
    ExprError,
    Name,
    Value,
    evaluate,
    parse_expr,
)
from equivmetrics._core.units import base_scope
from strategies import FUZZ

UNITS = base_scope()  # pint's units and the library's own
ONE = UNITS.dimensionless


def read_value(text: str, what: str) -> Value:
    return _values.read_value(UNITS, text, what)


def bind(values: dict[str, float]) -> Callable[[Name], Value]:
    def resolve(name: Name) -> Value:
        if name.id not in values:
            raise ExprError(f"unknown name {name.id!r}", name.column)
        return Value.exact(values[name.id], ONE)

    return resolve


# -- targeted attacks -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os')", 'unexpected "\'"'),  # the text is read before the names
        ("__import__", "not allowed"),
        ("a.__class__", "unexpected '.'"),
        ("().__class__.__bases__", "unexpected '.'"),
        ("x[0]", "unexpected '['"),
        ("f(x, y)", "unexpected ','"),
        ("lambda: 1", "unexpected ':'"),
        ("a if b else c", None),  # words juxtapose: a * if * b ...; refused when evaluated
        ("2**99999", "too large"),
        ("9**9**9", "too large"),
        ("2**6**2", "chained powers"),
        ("2**(3)", "plain number"),
        ("2**x", "plain number"),
        ("1e999", "out of range"),
        ("0x10", None),
        ("1_000", None),
        ("'1'", "unexpected"),
        ("`1`", "unexpected '`'"),
        ("1 # comment", "unexpected '#'"),
        ("1\x00", "unexpected '\\x00'"),
        ("ｋWh", "unexpected"),  # full-width letters are not names
        ("kWh\u200b", "unexpected"),  # zero-width space
        ("$HOME", "unexpected '$'"),
        ("{a}", "unexpected '{'"),
        ("a = 1", "unexpected '='"),
        ("a; b", "unexpected ';'"),
        ("a, b", "unexpected ','"),
        ("a @ b", "unexpected '@'"),
        ("a % b", "unexpected '%'"),
        ("a // b", "unexpected '/'"),
    ],
)
def test_attacks_are_refused(text: str, fragment: str | None) -> None:
    with pytest.raises(ExprError) as info:
        evaluate(parse_expr(text), bind({"a": 1.0, "b": 2.0, "x": 3.0}), ONE)
    if fragment is not None:
        assert fragment in info.value.message


@pytest.mark.parametrize("text", ["1e308 * 1e308", "1e308 * 10", "(1e200) ** 2", "1 / 1e-320"])
def test_overflow_is_refused(text: str) -> None:
    with pytest.raises(ExprError, match=r"finite|out of range"):
        evaluate(parse_expr(text), bind({}), ONE)


def test_unicode_digits_read_as_python_reads_them() -> None:
    # Python's float() reads any Unicode decimal digit; "١٢" (Arabic-Indic) is 12, not a trick
    assert evaluate(parse_expr("١٢"), bind({}), ONE).central == 12.0


@pytest.mark.parametrize("text", ["1 / 0", "1 / (2 - 2)", "0 ** -1", "(1 - 1) ** -2"])
def test_division_by_zero_is_refused(text: str) -> None:
    with pytest.raises(ExprError, match="zero"):
        evaluate(parse_expr(text), bind({}), ONE)


@pytest.mark.parametrize("size", [MAX_LENGTH + 1, 10_000, 1_000_000])
def test_very_long_input_is_refused_before_parsing(size: int) -> None:
    with pytest.raises(ExprError, match=f"longer than {MAX_LENGTH} characters"):
        parse_expr("1" * size)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 499])
def test_deep_parentheses_are_refused_not_a_recursion_error(depth: int) -> None:
    with pytest.raises(ExprError, match=f"nested more than {MAX_DEPTH} levels deep"):
        parse_expr("(" * depth + "1" + ")" * depth)


@pytest.mark.parametrize("text", ["-" * 500 + "1", "+" * 999 + "1", "-(" * 300 + "1" + ")" * 300])
def test_deep_signs_are_refused(text: str) -> None:
    text = text[:MAX_LENGTH]
    with pytest.raises(ExprError, match="nested"):
        parse_expr(text)


@pytest.mark.parametrize("text", ["1+" * 499 + "1", "1 " * 499 + "1", "a*" * 300 + "a"])
def test_long_chains_are_refused(text: str) -> None:
    with pytest.raises(ExprError, match=f"more than {MAX_OPERATIONS} operations"):
        parse_expr(text)


def test_the_longest_chain_evaluates_with_a_deep_caller_stack() -> None:
    # evaluation recurses once per operator: with at most MAX_OPERATIONS of them, a caller
    # already 700 frames deep (of the default 1,000) still gets its value
    node = parse_expr("+".join(["1"] * (MAX_OPERATIONS + 1)))

    def deep(frames: int) -> float:
        if frames:
            return deep(frames - 1)
        return evaluate(node, bind({}), ONE).central

    assert sys.getrecursionlimit() >= 1000
    assert deep(700) == MAX_OPERATIONS + 1


def test_per_and_overrides_refuse_long_chains(prod: em.Engine) -> None:
    chain = "+".join(["1"] * 200)
    with pytest.raises(em.UnitError, match="operations"):
        prod.convert("1 transaction", "manual_work", per=f"({chain}) day")
    with pytest.raises(em.ParameterError, match="operations"):
        prod.with_params(minutes_per_transaction=f"({chain}) min")


# -- random text ----------------------------------------------------------------------------------

python_ish = st.lists(
    st.sampled_from(
        [
            *"0123456789abxyz_.,:;()[]{}+-*/^%@!~<>=&|'\"#$ \t\n\\",
            "**",
            "__",
            "__import__",
            "os",
            "lambda",
            "1e308",
            "e",
            "1e",
            "9**9",
            "kWh",
            "\x00",
            "\u200b",
            "ｋ",
            "١",
        ]
    ),
    max_size=60,
).map("".join)


@FUZZ
@given(text=python_ish | st.text(max_size=80))
def test_random_text_parses_or_is_refused(text: str) -> None:
    try:
        node = parse_expr(text)
    except ExprError as exc:
        message, column = exc.message, exc.column
        assert message
        assert 0 <= column <= len(text) + 1
        return
    try:
        value = evaluate(node, bind({"a": 2.0, "b": 3.0, "x": 0.5, "y": 7.0, "z": 1.0}), ONE)
    except ExprError:
        return
    assert all(math.isfinite(v) for v in (value.central, value.low, value.high))


# -- well-formed expressions against exact arithmetic -------------------------------------------

#: Names bind to these values (exactly representable as floats).
BINDINGS = {"a": Fraction(3, 2), "b": Fraction(7), "c": Fraction(1, 8)}

#: Exact values beyond this (or nonzero below its inverse) are left out: "None" below.
HUGE = Fraction(10) ** 400

Tree = tuple[str, Fraction | None]  # (text, exact value, or None once a step is out of range)


def _clip(value: Fraction | None) -> Fraction | None:
    if value is None or (value != 0 and not 1 / HUGE < abs(value) < HUGE):
        return None
    return value


def _apply(op: str, left: Fraction | None, right: Fraction | None) -> Fraction | None:
    if left is None or right is None:
        return None
    if op == "/":
        return None if right == 0 else _clip(left / right)
    return _clip({"+": left + right, "-": left - right, "*": left * right}[op])


def _power(value: Fraction | None, exponent: int) -> Fraction | None:
    if value is None or (value == 0 and exponent < 0):
        return None
    return _clip(value**exponent)


def _combine(
    ops: list[str], exponents: list[int], negate: bool
) -> Callable[..., st.SearchStrategy[Tree]]:
    def combine(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        def binary(t: tuple[Tree, str, Tree]) -> Tree:
            (lt, lv), op, (rt, rv) = t
            text = f"({lt}) ({rt})" if op == " " else f"({lt}) {op} ({rt})"
            return text, _apply("*" if op == " " else op, lv, rv)

        def power(t: tuple[Tree, int]) -> Tree:
            (text, value), exponent = t
            return f"({text}) ** {exponent}", _power(value, exponent)

        options = [
            st.tuples(children, st.sampled_from(ops), children).map(binary),
            st.tuples(children, st.sampled_from(exponents)).map(power),
        ]
        if negate:
            options.append(children.map(lambda c: (f"-({c[0]})", None if c[1] is None else -c[1])))
        return st.one_of(options)

    return combine


positive_leaves = st.one_of(
    st.sampled_from(list(BINDINGS.items())),
    st.integers(min_value=1, max_value=999).map(lambda n: (str(n), Fraction(n))),
    st.sampled_from(["0.5", "2.25", "1e3", "1e-3", "12.5e-1"]).map(lambda t: (t, Fraction(t))),
)
positive_trees = st.recursive(
    positive_leaves, _combine(["+", "*", "/", " "], [-3, -2, -1, 2, 3], False), max_leaves=10
)


@FUZZ
@given(tree=positive_trees)
def test_positive_expressions_match_exact_arithmetic(tree: Tree) -> None:
    text, exact = tree
    assume(len(text) <= MAX_LENGTH)
    values = {name: float(v) for name, v in BINDINGS.items()}
    try:
        got = evaluate(parse_expr(text), bind(values), ONE).central
    except ExprError as exc:
        # refused only for arithmetic out of the float range, never for the syntax
        message = exc.message
        assert exact is None or not 1e-300 < exact < 1e300, message
        assert any(word in message for word in ("finite", "zero", "out of range")), message
        return
    if exact is not None:
        # positive operands only: no cancellation, so each operation adds at most a few ulps
        assert got == pytest.approx(float(exact), rel=1e-9, abs=1e-300)


integer_leaves = st.integers(min_value=-12, max_value=12).map(lambda n: (str(n), Fraction(n)))
integer_trees = st.recursive(
    integer_leaves, _combine(["+", "-", "*"], [0, 1, 2, 3], True), max_leaves=8
)


@FUZZ
@given(tree=integer_trees)
def test_integer_expressions_match_exact_arithmetic(tree: Tree) -> None:
    text, exact = tree
    assume(len(text) <= MAX_LENGTH)
    try:
        got = evaluate(parse_expr(text), bind({}), ONE).central
    except ExprError as exc:
        message = exc.message
        assert exact is None or abs(exact) > 1e300, message
        return
    if exact is not None:
        # integers below 2**53 are exact in floats; beyond that, rounding (and cancellation
        # of large terms) allows an absolute error relative to the size of the terms
        assert got == pytest.approx(float(exact), rel=1e-9, abs=1e-9 * _size(text))


def _size(text: str) -> float:
    """An upper bound on any intermediate magnitude: every leaf raised to the largest power."""
    leaves = [
        abs(int(t))
        for t in text.replace("(", " ").replace(")", " ").split()
        if t.lstrip("-").isdigit()
    ]
    biggest = max([*leaves, 1])
    return (
        float(biggest) ** (3 ** text.count("**")) * len(leaves)
        if text.count("**") < 6
        else math.inf
    )


@FUZZ
@given(text=st.from_regex(r"\A\s*[0-9.eE+\-]{1,30}\s*[a-z]{0,6}\s*\Z"))
def test_read_value_never_escapes(text: str) -> None:
    try:
        value = read_value(text, "test")
    except ExprError:
        return
    assert math.isfinite(value.central)


@pytest.mark.parametrize("space", ["\u0085", "\u2003", "\t", "\u00a0"])
def test_a_number_and_unit_split_on_any_whitespace(prod: em.Engine, space: str) -> None:
    # found by the fuzz test above: "0\x85a" raised a bare ValueError from the fast path
    tenant = prod.with_params(minutes_per_transaction=f"4{space}min")
    # 60 transactions x 4 min = 240 min = 4 hours
    assert tenant.convert("60 transaction", "manual_work").magnitude == pytest.approx(4.0)
