"""A factor expression as plain-float arithmetic, for other values of its parameters.

:func:`float_form` evaluates an expression once with units (as :func:`~.expr.evaluate` does)
and returns, with that value, a function that repeats the same arithmetic on floats alone: each
parameter's central, low and high magnitude in the unit it had in that first evaluation. Units
only decide the constants (a unit name is 1, a sum converts its right side with one fixed
factor), so for parameter values in the same units the floats are the ones :func:`evaluate`
gives, bit for bit: the same operations on the same numbers in the same order. A tenant's
factors are computed this way, without pint (see ``_engine/tenant.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .expr import (
    BinOp,
    Expr,
    ExprError,
    Floats,
    Name,
    Neg,
    Num,
    Pow,
    Value,
    add,
    divide,
    evaluate,
    negate,
    power,
    subtract,
    times,
)
from .units import PintUnit, unit_factor

__all__ = ["FloatForm", "Floats", "Lookup", "float_form", "run"]

#: The floats of a parameter, by name.
Lookup = Callable[[str], Floats]
#: An expression's arithmetic on floats, given its parameters' floats.
FloatForm = Callable[[Lookup], Floats]


def float_form(
    node: Expr, resolve: Callable[[Name], Value], one: PintUnit, is_parameter: Callable[[str], bool]
) -> tuple[Value, FloatForm]:
    """``node`` evaluated (with units) and its arithmetic on floats (``is_parameter``: which
    names the floats' look-up answers; any other name is a unit, resolved once)."""
    value = evaluate(node, resolve, one)  # the errors of the expression itself, with units
    return value, _form(node, resolve, one, is_parameter)[1]


def run(form: FloatForm, lookup: Lookup) -> Floats:
    """``form`` evaluated; :class:`ExprError` as :func:`evaluate` raises it."""
    try:
        c, lo, hi = form(lookup)
    except (OverflowError, ZeroDivisionError) as exc:
        raise ExprError(f"arithmetic out of range ({exc})") from None
    if not (math.isfinite(c) and math.isfinite(lo) and math.isfinite(hi)):
        raise ExprError("the value is not a finite number (too large or too small)")
    return c, lo, hi


def _form(
    node: Expr, resolve: Callable[[Name], Value], one: PintUnit, is_parameter: Callable[[str], bool]
) -> tuple[PintUnit, FloatForm]:
    """The unit of ``node`` and its float arithmetic (mirrors ``expr._evaluate``)."""
    if isinstance(node, Num):
        fixed = (node.value, node.value, node.value)
        return one, lambda _: fixed
    if isinstance(node, Name):
        resolved = resolve(node)
        if is_parameter(node.id):
            name = node.id
            return resolved.unit, lambda get: get(name)
        constant = (resolved.central, resolved.low, resolved.high)
        return resolved.unit, lambda _: constant
    if isinstance(node, Neg):
        unit, inner = _form(node.operand, resolve, one, is_parameter)
        return unit, lambda get: negate(inner(get))
    if isinstance(node, Pow):
        unit, base = _form(node.base, resolve, one, is_parameter)
        exponent = node.exponent
        return unit**exponent, lambda get: power(base(get), exponent)
    return _binary(node, resolve, one, is_parameter)


def _binary(
    node: BinOp,
    resolve: Callable[[Name], Value],
    one: PintUnit,
    is_parameter: Callable[[str], bool],
) -> tuple[PintUnit, FloatForm]:
    left_unit, left = _form(node.left, resolve, one, is_parameter)
    right_unit, right = _form(node.right, resolve, one, is_parameter)
    if node.op in "+-":
        k = unit_factor(right_unit, left_unit)  # fixed by the units, as in evaluate
        if node.op == "+":
            return left_unit, lambda get: add(left(get), right(get), k)
        return left_unit, lambda get: subtract(left(get), right(get), k)
    column = node.column
    if node.op == "*":
        return left_unit * right_unit, lambda get: times(left(get), right(get))
    return left_unit / right_unit, lambda get: divide(left(get), right(get), column)
