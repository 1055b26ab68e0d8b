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
    "NUMBER",
    "Job",
    "negative_reason",
    "overflow_reason",
    "reason",
]

#: A decimal number as the batch reads it (``float`` would also take ``1_000`` and ``inf``).
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})


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

    def add(self, rows: int, converted: int) -> None:
        """Count a chunk's rows and show the progress."""
        self.rows += rows
        self.converted += converted
        self.counter.show(self.rows)


def reason(row: Sequence[str], width: int, index: int, column: str) -> tuple[str, float]:
    """``("", value)`` for a good cell, else ``(reason, nan)``."""
    if len(row) != width and not (width == 1 and not row):
        if not row:
            return "blank line", math.nan
        return f"row has {len(row)} fields, the header has {width}", math.nan
    cell = row[index].strip() if row else ""
    if not cell:
        return f"empty value in column {column!r}", math.nan
    if NUMBER.fullmatch(cell):
        value = float(cell)
        if math.isinf(value):
            return f"number too large for a float in column {column!r}: {cell[:40]!r}", value
        return "", value
    if cell.lower().lstrip("+-") in _NOT_FINITE:
        return f"not a finite number in column {column!r}: {cell!r}", math.nan
    return f"not a number in column {column!r}: {cell[:40]!r}", math.nan


def negative_reason(compiled: Compiled, policy: str) -> str:
    """Why a negative value is rejected under ``policy`` (``"refuse"`` or ``"nan"``)."""
    verb = "refuses negatives" if policy == "refuse" else "reads negatives as missing"
    return f"negative value: kind {compiled.negative_kind or compiled.source_kind!r} {verb}"


def overflow_reason(compiled: Compiled) -> str:
    return f"the {compiled.kind} value is too large for a float"
