"""The factor grammar (no eval) and its interval arithmetic."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._catalog import values as _values
from equivmetrics._core.expr import ExprError, Name, Value, evaluate, names, parse_expr
from equivmetrics._core.units import base_scope
from strategies import NAMES, SETTINGS, expressions, intervals

UNITS = base_scope()  # pint's units and the library's own
ONE = UNITS.dimensionless


def read_value(text: str, what: str) -> Value:
    return _values.read_value(UNITS, text, what)


def exact(**values: float) -> dict[str, Value]:
    return {name: Value.exact(v, ONE) for name, v in values.items()}


def ev(text: str, bindings: dict[str, Value] | None = None) -> Value:
    table = bindings or {}

    def resolve(name: Name) -> Value:
        return table[name.id]

    return evaluate(parse_expr(text), resolve, ONE)


def central(text: str, **values: float) -> float:
    return ev(text, exact(**values)).central


# -- grammar ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2 + 3 * 4", 14.0),  # * binds tighter than +
        ("(2 + 3) * 4", 20.0),
        ("2 * 3 ** 2", 18.0),  # ** binds tighter than *
        ("2 * 3 ^ 2", 18.0),  # ^ is **
        ("-2 ** 2", -4.0),  # unary minus applies to the power: -(2**2)
        ("(-2) ** 2", 4.0),
        ("2 ** -1", 0.5),
        ("4 ** 0.5", 2.0),
        ("10 - 4 - 3", 3.0),  # left-associative
        ("64 / 4 / 2", 8.0),
        ("2 3", 6.0),  # juxtaposition multiplies
        ("6 / 2 3", 9.0),  # ... at the same precedence as * and /, left to right: (6/2)*3
        ("2 (3 + 4)", 14.0),
        ("(1 + 1)(2 + 2)", 8.0),
        ("1 / (2 * 4)", 0.125),
        ("+5", 5.0),
        ("--5", 5.0),
        ("1.5e3", 1500.0),
        (".5 * 4", 2.0),
        ("1 / 8 * 2", 0.25),
        ("  7  ", 7.0),
    ],
)
def test_precedence_and_associativity(text: str, value: float) -> None:
    assert central(text) == pytest.approx(value, rel=1e-12)


def test_names_are_parameters_or_units() -> None:
    assert central("a * b + c", a=2, b=3, c=4) == pytest.approx(10, rel=1e-12)
    assert central("1 / (a b)", a=4, b=5) == pytest.approx(0.05, rel=1e-12)
    assert [n.id for n in names(parse_expr("a * (b + a) / c_1"))] == ["a", "b", "a", "c_1"]


def test_name_columns_are_one_based() -> None:
    found = list(names(parse_expr("1 / hours_per_fte_year")))
    assert [(n.id, n.column) for n in found] == [("hours_per_fte_year", 5)]


def test_juxtaposed_units_read_as_in_a_factor() -> None:
    # 8887 g/gallon is (8887 * g) / gallon: 8.887 kg per gallon
    value = read_value("8887 g/gallon", "test")
    assert value.to(em.get_registry().Unit("kg/gallon")).central == pytest.approx(8.887, rel=1e-12)


def test_units_add_after_conversion() -> None:
    value = read_value("1 hour + 30 minute", "test")  # 1 h + 0.5 h
    assert value.unit == em.get_registry().hour
    assert value.central == pytest.approx(1.5, rel=1e-12)


def test_adding_other_dimensions_is_refused() -> None:
    with pytest.raises(ExprError, match="cannot add") as info:
        read_value("1 hour + 3 kg", "test")
    assert info.value.column == 8  # the '+'


def test_unknown_unit_in_a_value() -> None:
    with pytest.raises(ExprError, match="unknown unit 'kWhh'") as info:
        read_value("3 kWhh", "test")
    assert info.value.column == 3
    assert "kWh" in info.value.hint


@pytest.mark.parametrize(
    ("text", "column", "fragment"),
    [
        ("3 $", 3, "'$'"),
        ("a.b", 2, "'.'"),  # attribute access
        ("os.system", 3, "'.'"),
        ("f(1, 2)", 4, "','"),  # a call with arguments
        ("'x'", 1, "'"),
        ("a; b", 2, "';'"),
        ("a[0]", 2, "'['"),
        ("lambda: 1", 7, "':'"),
        ("3 kg # comment", 6, "'#'"),
        ("2 < 3", 3, "'<'"),
        ("x @ y", 3, "'@'"),
        ("1 +", 4, "ends too early"),
        ("(1 + 2", 7, "missing ')'"),
        ("1 + 2)", 6, "')'"),
        ("()", 2, "')'"),
        ("__import__", 1, "'__import__'"),
        ("2 * __class__", 5, "not allowed"),
        ("a ** b", 6, "plain number"),
        ("2 ** 7", 6, "too large"),
        ("2 ** -7", 7, "too large"),
        ("2 ** 1e3", 6, "too large"),
        ("2 ** 2 ** 2", 8, "chained powers"),
        ("1e999", 1, "out of range"),
    ],
)
def test_refused_with_a_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        parse_expr(text)
    assert info.value.column == column
    assert fragment in info.value.message


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_expression(text: str) -> None:
    with pytest.raises(ExprError, match="empty"):
        parse_expr(text)


def test_non_text_expression() -> None:
    # a wrong type is a TypeError (it was an ExprError, a ValueError, before issue 12)
    with pytest.raises(em.InputTypeError, match="expected text"):
        parse_expr(3)  # type: ignore[arg-type]


def test_too_long() -> None:
    with pytest.raises(ExprError, match="longer"):
        parse_expr("1 + " * 500 + "1")


def test_too_deep() -> None:
    with pytest.raises(ExprError, match="nested"):
        parse_expr("(" * 100 + "1" + ")" * 100)
    with pytest.raises(ExprError, match="nested"):
        parse_expr("-" * 100 + "1")


def test_reasonable_nesting_is_fine() -> None:
    assert central("(" * 20 + "1" + ")" * 20) == 1.0


def test_call_shaped_text_never_calls() -> None:
    # 'eval(1)' is not a call: juxtaposition makes it eval * 1, and 'eval' is no unit.
    with pytest.raises(ExprError, match="unknown unit 'eval'"):
        read_value("eval(1)", "test")


@pytest.mark.parametrize("text", ["1e200 ** 2", "1e-200 ** -2", "(1e100 ** 6)", "(1e300 1e300)"])
def test_overflow_is_an_expression_error(text: str) -> None:
    # Never an OverflowError escaping, nor an infinite value accepted.
    with pytest.raises(ExprError):
        read_value(text, "test")


# -- interval arithmetic ----------------------------------------------------------------------

A = Value(ONE, 2.0, 1.0, 3.0)  # 2 in [1, 3]
B = Value(ONE, 1.5, 1.0, 2.0)  # 1.5 in [1, 2]
C = Value(ONE, 0.5, -1.0, 2.0)  # an interval containing zero


@pytest.mark.parametrize(
    ("text", "low", "mid", "high"),
    [
        ("a + b", 2.0, 3.5, 5.0),  # [1+1, 3+2]
        ("a - b", -1.0, 0.5, 2.0),  # [1-2, 3-1]
        ("a * b", 1.0, 3.0, 6.0),  # [1x1, 3x2]
        ("a / b", 0.5, 4 / 3, 3.0),  # [1/2, 3/1]
        ("-a", -3.0, -2.0, -1.0),
        ("a ** 2", 1.0, 4.0, 9.0),
        ("a ** -1", 1 / 3, 0.5, 1.0),
        ("1 / a", 1 / 3, 0.5, 1.0),
        ("c ** 2", 0.0, 0.25, 4.0),  # even power of an interval around zero starts at 0
        ("c ** 3", -1.0, 0.125, 8.0),
        ("a * c", -3.0, 1.0, 6.0),  # min/max over the four corner products
        ("2 * a", 2.0, 4.0, 6.0),
    ],
)
def test_interval_results(text: str, low: float, mid: float, high: float) -> None:
    value = ev(text, {"a": A, "b": B, "c": C})
    assert value.low == pytest.approx(low, rel=1e-12, abs=1e-15)
    assert value.central == pytest.approx(mid, rel=1e-12)
    assert value.high == pytest.approx(high, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a / c", "includes zero"),
        ("1 / (a - a)", "includes zero"),  # [1-3, 3-1] = [-2, 2] contains 0
        ("1 / 0", "includes zero"),
        ("c ** -1", "includes zero"),
        ("c ** 0.5", "can be negative"),
    ],
)
def test_interval_refusals(text: str, fragment: str) -> None:
    with pytest.raises(ExprError, match=fragment):
        ev(text, {"a": A, "c": C})


def test_value_to_scales_every_bound() -> None:
    reg = em.get_registry()
    hours = Value(reg.hour, 2.0, 1.0, 3.0)
    minutes = hours.to(reg.minute)
    assert (minutes.low, minutes.central, minutes.high) == pytest.approx((60, 120, 180), rel=1e-12)


@SETTINGS
@given(expressions, st.tuples(intervals(), intervals(), intervals()))
def test_central_lies_within_the_range(
    text: str, bounds: tuple[tuple[float, float, float], ...]
) -> None:
    bindings = {
        name: Value(ONE, mid, low, high)
        for name, (low, mid, high) in zip(NAMES, bounds, strict=True)
    }
    try:
        value = ev(text, bindings)
    except ExprError:
        assume(False)  # division by a range through zero, or a root of a negative range
        return
    except OverflowError:
        assume(False)
        return
    assume(all(math.isfinite(x) for x in (value.low, value.central, value.high)))
    slack = 1e-9 * max(1.0, abs(value.low), abs(value.high))
    assert value.low - slack <= value.central <= value.high + slack


@SETTINGS
@given(intervals(), intervals())
def test_positive_products_and_quotients_multiply_bounds(
    x: tuple[float, float, float], y: tuple[float, float, float]
) -> None:
    # For positive intervals: [a, b] x [c, d] = [ac, bd] and [a, b] / [c, d] = [a/d, b/c].
    bindings = {"x": Value(ONE, x[1], x[0], x[2]), "y": Value(ONE, y[1], y[0], y[2])}
    product = ev("x * y", bindings)
    assert product.low == pytest.approx(x[0] * y[0], rel=1e-12)
    assert product.high == pytest.approx(x[2] * y[2], rel=1e-12)
    quotient = ev("x / y", bindings)
    assert quotient.low == pytest.approx(x[0] / y[2], rel=1e-12)
    assert quotient.high == pytest.approx(x[2] / y[0], rel=1e-12)


@SETTINGS
@given(st.floats(min_value=-1e6, max_value=1e6), st.floats(min_value=-1e6, max_value=1e6))
def test_exact_values_stay_exact(p: float, q: float) -> None:
    value = ev("p * 2 + q", exact(p=p, q=q))
    assert value.low == value.central == value.high
