"""A small arithmetic grammar for rule factors and parameter values, and its interval evaluation.

Grammar (no ``eval``; anything else is refused with the column where it went wrong)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/" | <juxtaposition>) unary)*
    unary  := ("-" | "+") unary | power
    power  := atom (("**" | "^") ["-" | "+"] NUMBER)?
    atom   := NUMBER | NAME | "(" expr ")"

``NAME`` is a parameter name or a unit name. Juxtaposition multiplies, so ``8887 g/gallon``
reads as ``(8887 * g) / gallon``. Exponents are small constant numbers (``|e| <= 6``).

Evaluation works on :class:`Value` — a unit and three floats (central, low, high) — with
interval arithmetic, so a factor's range is exact for any expression of positive parameters.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator

import attrs

from equivmetrics.exceptions import ExprError, InputTypeError

from .unit_text import format_unit
from .units import PintUnit, unit_factor

__all__ = ["Expr", "ExprError", "Value", "evaluate", "parse_expr"]

MAX_LENGTH = 1000
MAX_DEPTH = 40
#: At most this many operators: evaluation recurses once per operator, so a 1,000-character
#: chain such as ``1+1+...+1`` would otherwise need 500 stack frames of the caller's budget.
MAX_OPERATIONS = 100
MAX_EXPONENT = 6.0


@attrs.frozen
class Value:
    """A quantity with a range: ``central`` within ``[low, high]``, all in ``unit``."""

    unit: PintUnit
    central: float
    low: float
    high: float

    @classmethod
    def exact(cls, magnitude: float, unit: PintUnit) -> Value:
        return cls(unit, magnitude, magnitude, magnitude)

    @property
    def floats(self) -> tuple[float, float, float]:
        """``(central, low, high)``."""
        return self.central, self.low, self.high

    def to(self, unit: PintUnit) -> Value:
        k = unit_factor(self.unit, unit)
        return Value(unit, self.central * k, self.low * k, self.high * k)


# --- syntax tree -------------------------------------------------------------------------------


@attrs.frozen
class Num:
    value: float


@attrs.frozen
class Name:
    id: str
    column: int


@attrs.frozen
class Neg:
    operand: Expr


@attrs.frozen
class BinOp:
    op: str
    left: Expr
    right: Expr
    column: int


@attrs.frozen
class Pow:
    base: Expr
    exponent: float


Expr = Num | Name | Neg | BinOp | Pow

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<op>\*\*|[-+*/^()])
    )""",
    re.VERBOSE,
)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            bad = text[pos:].lstrip()
            column = len(text) - len(bad) + 1
            raise ExprError(
                f"unexpected {bad[0]!r}",
                column,
                "factors use numbers, units, parameter names, + - * / ** and parentheses",
            )
        kind = match.lastgroup or ""
        start = match.start(kind) + 1
        yield kind, match.group(kind), start
        pos = match.end()
    yield "end", "", len(text) + 1


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(_tokens(text))
        self.index = 0
        self.depth = 0
        self.operations = 0

    @property
    def current(self) -> tuple[str, str, int]:
        return self.tokens[self.index]

    def advance(self) -> tuple[str, str, int]:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect_end(self) -> None:
        kind, value, column = self.current
        if kind != "end":
            raise ExprError(f"unexpected {value!r}", column)

    def operation(self, column: int) -> None:
        self.operations += 1
        if self.operations > MAX_OPERATIONS:
            raise ExprError(
                f"more than {MAX_OPERATIONS} operations",
                column,
                "split the factor into named parameters",
            )

    def enter(self, column: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError(f"nested more than {MAX_DEPTH} levels deep", column)

    def expr(self) -> Expr:
        node = self.term()
        while self.current[0] == "op" and self.current[1] in "+-":
            _, op, column = self.advance()
            self.operation(column)
            node = BinOp(op, node, self.term(), column)
        return node

    def term(self) -> Expr:
        node = self.unary()
        while True:
            kind, value, column = self.current
            if kind == "op" and value in ("*", "/"):
                self.advance()
                self.operation(column)
                node = BinOp(value, node, self.unary(), column)
            elif kind in ("num", "name") or (kind, value) == ("op", "("):
                self.operation(column)
                node = BinOp("*", node, self.unary(), column)
            else:
                return node

    def unary(self) -> Expr:
        kind, value, column = self.current
        if kind == "op" and value in "+-":
            self.advance()
            self.enter(column)
            operand = self.unary()
            self.depth -= 1
            return Neg(operand) if value == "-" else operand
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        kind, value, column = self.current
        if kind == "op" and value in ("**", "^"):
            self.advance()
            sign = 1.0
            if self.current[0] == "op" and self.current[1] in "+-":
                sign = -1.0 if self.advance()[1] == "-" else 1.0
            kind, value, column = self.advance()
            if kind != "num":
                raise ExprError(
                    "an exponent must be a plain number", column, "write x**2, not x**y"
                )
            exponent = sign * float(value)
            if abs(exponent) > MAX_EXPONENT:
                raise ExprError(
                    f"exponent {exponent:g} is too large (limit {MAX_EXPONENT:g})", column
                )
            if self.current[0] == "op" and self.current[1] in ("**", "^"):
                raise ExprError("chained powers are ambiguous; add parentheses", self.current[2])
            return Pow(base, exponent)
        return base

    def atom(self) -> Expr:
        kind, value, column = self.advance()
        if kind == "num":
            number = float(value)
            if not math.isfinite(number):
                raise ExprError(f"number {value!r} is out of range", column)
            return Num(number)
        if kind == "name":
            if value.startswith("__"):
                raise ExprError(
                    f"name {value!r} is not allowed",
                    column,
                    "names starting with '__' are reserved",
                )
            return Name(value, column)
        if (kind, value) == ("op", "("):
            self.enter(column)
            node = self.expr()
            closing = self.advance()
            if closing[:2] != ("op", ")"):
                raise ExprError("missing ')'", closing[2])
            self.depth -= 1
            return node
        if kind == "end":
            raise ExprError("expression ends too early", column)
        raise ExprError(f"unexpected {value!r}", column)


def parse_expr(text: str) -> Expr:
    """Parse ``text``; raise :class:`ExprError` (with a column) when it is not a valid factor.

    Text is all it reads: anything else is an :class:`~equivmetrics.InputTypeError`.
    """
    if not isinstance(text, str):
        raise InputTypeError(f"expected text, got {type(text).__name__}", value=text)
    if len(text) > MAX_LENGTH:
        raise ExprError(f"expression longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExprError("expression is empty")
    parser = _Parser(text)
    node = parser.expr()
    parser.expect_end()
    return node


def names(node: Expr) -> Iterator[Name]:
    """Every name in the expression, in reading order."""
    if isinstance(node, Name):
        yield node
    elif isinstance(node, BinOp):
        yield from names(node.left)
        yield from names(node.right)
    elif isinstance(node, Neg | Pow):
        yield from names(node.operand if isinstance(node, Neg) else node.base)


def evaluate(node: Expr, resolve: Callable[[Name], Value], one: PintUnit) -> Value:
    """Evaluate with interval arithmetic; ``resolve`` gives the value of each name.

    ``one`` is the dimensionless unit of the scope the names' units come from (a number's
    unit). Raises :class:`ExprError` when any intermediate value is not a finite number.
    """
    try:
        value = _evaluate(node, resolve, one)
    except (OverflowError, ZeroDivisionError) as exc:
        raise ExprError(f"arithmetic out of range ({exc})") from None
    if not all(math.isfinite(x) for x in (value.central, value.low, value.high)):
        raise ExprError("the value is not a finite number (too large or too small)")
    return value


def _evaluate(node: Expr, resolve: Callable[[Name], Value], one: PintUnit) -> Value:
    if isinstance(node, Num):
        return Value.exact(node.value, one)
    if isinstance(node, Name):
        return resolve(node)
    if isinstance(node, Neg):
        v = _evaluate(node.operand, resolve, one)
        return Value(v.unit, *negate(v.floats))
    if isinstance(node, Pow):
        v = _evaluate(node.base, resolve, one)
        return Value(v.unit**node.exponent, *power(v.floats, node.exponent))
    left = _evaluate(node.left, resolve, one)
    right = _evaluate(node.right, resolve, one)
    if node.op in "+-":
        if left.unit.dimensionality != right.unit.dimensionality:
            raise ExprError(
                f"cannot {'add' if node.op == '+' else 'subtract'} {format_unit(right.unit)} "
                f"({right.unit.dimensionality}) and {format_unit(left.unit)} "
                f"({left.unit.dimensionality})",
                node.column,
            )
        k = unit_factor(right.unit, left.unit)
        combine = add if node.op == "+" else subtract
        return Value(left.unit, *combine(left.floats, right.floats, k))
    if node.op == "*":
        return Value(left.unit * right.unit, *times(left.floats, right.floats))
    return Value(left.unit / right.unit, *divide(left.floats, right.floats, node.column))


# --- the arithmetic on (central, low, high) floats, shared with expr_floats --------------------

#: A value's central, low and high magnitude.
Floats = tuple[float, float, float]


def negate(v: Floats) -> Floats:
    return -v[0], -v[2], -v[1]


def add(a: Floats, b: Floats, k: float) -> Floats:
    """``a + b``, with ``b`` first multiplied by ``k`` (its unit's factor to ``a``'s)."""
    return a[0] + b[0] * k, a[1] + b[1] * k, a[2] + b[2] * k


def subtract(a: Floats, b: Floats, k: float) -> Floats:
    """``a - b``, with ``b`` first multiplied by ``k`` (its unit's factor to ``a``'s)."""
    return a[0] - b[0] * k, a[1] - b[2] * k, a[2] - b[1] * k


def times(a: Floats, b: Floats) -> Floats:
    bounds = [x * y for x in (a[1], a[2]) for y in (b[1], b[2])]
    return a[0] * b[0], min(bounds), max(bounds)


def divide(a: Floats, b: Floats, column: int) -> Floats:
    if b[1] <= 0.0 <= b[2]:
        raise ExprError("division by a value whose range includes zero", column)
    bounds = [x / y for x in (a[1], a[2]) for y in (b[1], b[2])]
    return a[0] / b[0], min(bounds), max(bounds)


def power(v: Floats, exponent: float) -> Floats:
    central, low, high = v
    integral = float(exponent).is_integer()
    if not integral and low < 0:
        raise ExprError(f"fractional power {exponent:g} of a value that can be negative")
    if exponent < 0 and low <= 0.0 <= high:
        raise ExprError(f"negative power {exponent:g} of a value whose range includes zero")
    ends = [low**exponent, high**exponent]
    bottom, top = min(ends), max(ends)
    if integral and int(exponent) % 2 == 0 and low < 0 < high:
        bottom = 0.0
    return central**exponent, bottom, top
