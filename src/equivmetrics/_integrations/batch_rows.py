"""What a batch run does with one row, whichever engine reads it: the reasons a row is rejected.

The plain path (:mod:`.batch`) and the native engine (:mod:`.batch_native`) share these, so a
rejected row gets the same words from both; :class:`Job` carries what both need to convert and
write a run's rows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import IO, Any

import attrs

from equivmetrics._engine.compiled import Compiled

from .batch_files import Progress

__all__ = [
    "COMMA_NUMBER",
    "NUMBER",
    "Job",
    "negative_reason",
    "overflow_reason",
    "pointed",
    "reason",
]

#: A decimal number as the batch reads it (``float`` would also take ``1_000`` and ``inf``).
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})
#: A number as ``--decimal ,`` reads it: a decimal comma, dots between groups of three digits
#: after a first group that is not 0 (``1.234,5``, ``1234,5``, ``12``; ``0.500`` is no
#: number), an exponent only without dots (``1,5e3``).
COMMA_NUMBER = re.compile(
    r"[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?(?:[eE][+-]?\d+)?)", re.ASCII
)


def pointed(cell: str, decimal: str) -> str | None:
    """``cell`` (stripped) as :data:`NUMBER` text: itself with a decimal point; with a decimal
    comma, without its thousands dots and with a point for its comma, or None when it is not
    written so (``12.5`` in a decimal-comma column is no number)."""
    if decimal == ".":
        return cell
    if not COMMA_NUMBER.fullmatch(cell):
        return None
    return cell.replace(".", "").replace(",", ".")


@attrs.define
class Job:
    """One run's conversion: the input's shape, the targets, the writers, the rows so far."""

    width: int
    index: int
    column: str
    compiled: Sequence[Compiled]
    policies: Sequence[str]
    delimiter: str
    chunk_rows: int
    max_line: int
    out: IO[str]
    writer: Any
    rejected: Any
    counter: Progress
    rows: int = 0
    converted: int = 0
    #: The decimal mark of the column's numbers and of the values written.
    decimal: str = "."

    def add(self, rows: int, converted: int) -> None:
        """Count a chunk's rows and show the progress."""
        self.rows += rows
        self.converted += converted
        self.counter.show(self.rows)


def reason(
    row: Sequence[str], width: int, index: int, column: str, decimal: str = "."
) -> tuple[str, float]:
    """``("", value)`` for a good cell, else ``(reason, nan)``; ``decimal``: the column's
    decimal mark (see :func:`pointed`)."""
    if len(row) != width and not (width == 1 and not row):
        if not row:
            return "blank line", math.nan
        return f"row has {len(row)} fields, the header has {width}", math.nan
    cell = row[index].strip() if row else ""
    if not cell:
        return f"empty value in column {column!r}", math.nan
    number = pointed(cell, decimal)
    if number is not None and NUMBER.fullmatch(number):
        value = float(number)
        if math.isinf(value):
            return f"number too large for a float in column {column!r}: {cell[:40]!r}", value
        return "", value
    if cell.lower().lstrip("+-") in _NOT_FINITE:
        return f"not a finite number in column {column!r}: {cell!r}", math.nan
    comma = " with a decimal comma" if decimal != "." else ""
    return f"not a number{comma} in column {column!r}: {cell[:40]!r}", math.nan


def negative_reason(compiled: Compiled, policy: str) -> str:
    """Why a negative value is rejected under ``policy`` (``"refuse"`` or ``"nan"``)."""
    verb = "refuses negatives" if policy == "refuse" else "reads negatives as missing"
    return f"negative value: kind {compiled.negative_kind or compiled.source_kind!r} {verb}"


def overflow_reason(compiled: Compiled) -> str:
    return f"the {compiled.kind} value is too large for a float"
