"""Batch conversion of a CSV column: streamed in chunks, every row kept, bad rows explained.

``equivmetrics batch`` (docs/cli.md, "batch") reads a CSV file row by row, converts one numeric
column to one or more kinds and writes every input row, with one more column per target, to the
output. Each conversion is compiled once (:meth:`Engine.compile`); each chunk of rows is then
one multiplication per target. A row whose value cannot be converted — empty, not a number, not
finite, a field count that differs from the header's, negative where the conversion refuses
negatives — keeps its place in the output with empty target cells, and goes, with its physical
line number (the header is line 1) and the reason, to the rejects file. Both files are written
to temporary files next to their final names and moved into place only when the run completes.
"""

from __future__ import annotations

import csv
import math
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

import attrs

from equivmetrics._api.engine import Engine
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._engine.compiled import Compiled
from equivmetrics.exceptions import InputValueError, Location

from .batch_files import (
    MAX_LINE,
    Lines,
    Progress,
    UsageError,
    check_options,
    open_input,
    rejects_path,
    source_name,
)
from .batch_output import Outputs
from .frames import column_name

__all__ = [
    "CHUNK_CHARS",
    "CHUNK_ROWS",
    "MAX_LINE",
    "Summary",
    "UsageError",
    "parse_targets",
    "run_batch",
]

BATCH_SCHEMA = "equivmetrics.batch/1"
CHUNK_ROWS = 65_536
#: A chunk also ends once it has read this many characters (8 MiB of text), whatever its rows.
CHUNK_CHARS = 8 * 1024 * 1024
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: The start of each line of a column that is not a plain decimal number (spaces allowed).
_NOT_PLAIN = re.compile(
    r"^(?![ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$)", re.MULTILINE | re.ASCII
)
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})
_TARGET = re.compile(r"\s*([A-Za-z_]\w*)\s*(?::\s*(.+?)\s*)?")


@attrs.frozen
class Summary:
    """What a batch run did: rows read, converted and rejected, and where they went."""

    rows: int
    converted: int
    rejected: int
    output: str
    rejects: str
    column: str
    targets: tuple[dict[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data in the documented shape ``equivmetrics.batch/1``.

        ``output`` and ``rejects`` name the files without their folders (``"-"`` for standard
        output); the attributes keep the paths as given.
        """
        return {
            "schema": BATCH_SCHEMA,
            "rows": self.rows,
            "converted": self.converted,
            "rejected": self.rejected,
            "output": Location(self.output).name,
            "rejects": Location(self.rejects).name,
            "column": self.column,
            "targets": [dict(t) for t in self.targets],
        }


def parse_targets(text: str) -> list[tuple[str, str | None]]:
    """``"co2e:kg,tree_seedling"`` -> ``[("co2e", "kg"), ("tree_seedling", None)]``.

    >>> parse_targets("co2e:kg, tree_seedling")
    [('co2e', 'kg'), ('tree_seedling', None)]
    """
    targets = []
    for item in text.split(","):
        if not item.strip():
            continue
        match = _TARGET.fullmatch(item)
        if match is None:
            raise UsageError(
                f"--to {item.strip()!r}: expected KIND or KIND:UNIT, e.g. 'co2e' or 'co2e:kg'",
                value=item,
            )
        targets.append((match.group(1), match.group(2)))
    if not targets:
        raise UsageError("--to names no kind; e.g. --to co2e,tree_seedling", value=text)
    return targets


def run_batch(
    engine: Engine,
    source: str,
    *,
    column: str,
    unit: str,
    to: Sequence[tuple[str, str | None]],
    output: str,
    of: str | None = None,
    per: str | None = None,
    rejects: str | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    negative: NegativePolicy | None = None,
    chunk_rows: int | None = None,
    progress: IO[str] | None = None,
    max_line: int = MAX_LINE,
) -> Summary:
    """Convert column ``column`` (in ``unit``) of CSV file ``source`` to each target kind.

    ``source`` ``"-"`` reads standard input; ``output`` ``"-"`` writes standard output (then
    ``rejects`` must be given). ``rejects`` defaults to ``output + ".rejects.csv"``.
    ``negative`` (``"allow"``, ``"refuse"`` or ``"nan"``) overrides the conversions' policy for
    negative values; under ``"refuse"`` and ``"nan"`` a negative row is a reject. Raises
    :class:`UsageError` for options that cannot work, before anything is written. A line
    longer than ``max_line`` characters stops the run (:class:`InputValueError`); the
    output and rejects files are moved into place together, or not at all
    (:class:`~.batch_output.Outputs`).
    """
    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    check_options(delimiter, encoding, chunk_rows, negative, max_line)
    rejects = rejects_path(output, rejects)
    compiled = [engine.compile(unit, kind, of=of, unit=out, per=per) for kind, out in to]
    names = [column_name(c.kind, c.unit) for c in compiled]
    policies = [negative or c.negative for c in compiled]
    with open_input(source, encoding) as stream:
        lines = Lines(stream, max_line)
        reader = csv.reader(lines, delimiter=delimiter, strict=False)
        header, index = _header(reader, column, source, names)
        with Outputs(output, rejects, encoding) as (out, bad):
            writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
            rejected = csv.writer(bad, delimiter=delimiter, lineterminator="\n")
            writer.writerow([*header, *names])
            rejected.writerow(["line", "reason", *header])
            counter = Progress(progress, stream)
            rows = converted = 0
            for chunk, numbers in _chunks(reader, lines, chunk_rows):
                rows += len(chunk)
                converted += _convert_chunk(
                    chunk, numbers, len(header), index, column, compiled, policies, writer, rejected
                )
                counter.show(rows)
            counter.done(rows)
    targets = tuple(
        {"kind": c.kind, "unit": c.unit, "column": name, "factor": c.factor, "negative": policy}
        for c, name, policy in zip(compiled, names, policies, strict=True)
    )
    return Summary(rows, converted, rows - converted, output, rejects, column, targets)


def _header(reader: Any, column: str, source: str, names: list[str]) -> tuple[list[str], int]:
    """The header row and where ``column`` is in it; room must be left for ``names``."""
    try:
        header: list[str] | None = next(reader, None)
    except csv.Error as exc:
        raise InputValueError(f"line 1: cannot read the CSV header ({exc})", value=1) from None
    if header is None:
        raise UsageError(f"{source_name(source)} is empty: expected a header row", value=source)
    found = [i for i, name in enumerate(header) if name == column]
    if len(found) > 1:
        raise UsageError(
            f"--column {column!r} names {len(found)} columns of {source_name(source)}; "
            "the header must name it once",
            value=column,
        )
    if not found:
        raise UsageError(
            f"--column {column!r} is not a column of {source_name(source)}; its columns are: "
            + ", ".join(map(repr, header)),
            value=column,
        )
    clash = sorted((set(names) & set(header)) | {n for n in names if names.count(n) > 1})
    if clash:
        raise UsageError(
            f"output column {clash[0]!r} would appear twice (already in the input or "
            "asked for twice); drop it from the input or from --to",
            value=clash[0],
        )
    return header, found[0]


def _chunks(
    reader: Any, lines: Lines, size: int
) -> Iterator[tuple[list[list[str]], Sequence[int]]]:
    """Lists of at most ``size`` rows and about :data:`CHUNK_CHARS` characters, with the
    physical line each row starts on."""
    while True:
        start, chars = reader.line_num, lines.chars
        rows: list[list[str]] = []
        try:
            for row in reader:
                rows.append(row)
                if len(rows) >= size or lines.chars - chars >= CHUNK_CHARS:
                    break
        except csv.Error as exc:
            raise InputValueError(
                f"line {reader.line_num}: cannot read the CSV ({exc}); nothing was written",
                value=reader.line_num,
            ) from None
        if not rows:
            return
        if reader.line_num - start == len(rows):  # one line per row: the usual case
            yield rows, range(start + 1, start + 1 + len(rows))
            continue
        numbers, line = [], start + 1  # some quoted field spans lines: count its line breaks
        for row in rows:
            numbers.append(line)
            line += 1 + sum(len(_LINE_BREAK.findall(field)) for field in row)
        yield rows, numbers


def _policy_kind(compiled: Compiled) -> str:
    return compiled.negative_kind or compiled.source_kind


def _reason(row: list[str], width: int, index: int, column: str) -> tuple[str, float]:
    """``("", value)`` for a good cell, else ``(reason, nan)``."""
    if len(row) != width and not (width == 1 and not row):
        if not row:
            return "blank line", math.nan
        return f"row has {len(row)} fields, the header has {width}", math.nan
    cell = row[index].strip() if row else ""
    if not cell:
        return f"empty value in column {column!r}", math.nan
    if _NUMBER.fullmatch(cell):
        value = float(cell)
        if math.isinf(value):
            return f"number too large for a float in column {column!r}: {cell[:40]!r}", value
        return "", value
    if cell.lower().lstrip("+-") in _NOT_FINITE:
        return f"not a finite number in column {column!r}: {cell!r}", math.nan
    return f"not a number in column {column!r}: {cell[:40]!r}", math.nan


def _convert_chunk(
    rows: list[list[str]],
    lines: Sequence[int],
    width: int,
    index: int,
    column: str,
    compiled: Sequence[Compiled],
    policies: Sequence[str],
    writer: Any,
    rejected: Any,
) -> int:
    """Convert and write one chunk; return how many of its rows were converted."""
    values, reasons = _parse(rows, width, index, column)
    columns = []
    negative = [i for i, value in enumerate(values) if value < 0]
    for c, policy in zip(compiled, policies, strict=True):
        result, overflow = _multiply(values, c.factor)
        if policy != "allow":
            verb = "refuses negatives" if policy == "refuse" else "reads negatives as missing"
            for i in negative:
                reasons.setdefault(i, f"negative value: kind {_policy_kind(c)!r} {verb}")
        for i in overflow:
            reasons.setdefault(i, f"the {c.kind} value is too large for a float")
        columns.append(result)
    for result in columns:
        for row, text in zip(rows, map(repr, result), strict=True):
            row.append(text)
    blank = [""] * len(compiled)
    for i in sorted(reasons):
        row = rows[i][: -len(compiled)]  # the input fields as read
        rejected.writerow([lines[i], reasons[i], *row])
        rows[i] = row[:width] + [""] * (width - len(row)) + blank
    writer.writerows(rows)
    return len(rows) - len(reasons)


def _parse(
    rows: list[list[str]], width: int, index: int, column: str
) -> tuple[list[float], dict[int, str]]:
    """The column's values (NaN where bad) and the reason for each bad row, by position.

    The usual chunk (every row as wide as the header, no line break in the column) is parsed
    in C: one regular-expression scan finds the cells that are not plain decimal numbers, and
    only those go through :func:`_reason` one by one.
    """
    if rows and min(map(len, rows)) == max(map(len, rows)) == width:
        cells = list(map(operator.itemgetter(index), rows))
        joined = "\n".join(cells)
        if joined.count("\n") == len(cells) - 1 and "\r" not in joined:
            suspects = _suspects(joined)
            for i in suspects:
                cells[i] = "nan"
            values = list(map(float, cells))
            if any(map(math.isinf, values)):  # "1e999": a plain number, but too large
                suspects += [i for i, value in enumerate(values) if math.isinf(value)]
            return values, _check(rows, suspects, values, width, index, column)
    values = [math.nan] * len(rows)
    return values, _check(rows, range(len(rows)), values, width, index, column)


def _suspects(joined: str) -> list[int]:
    """The positions of the lines of ``joined`` that are not plain decimal numbers."""
    found, count, last = [], 0, 0
    for match in _NOT_PLAIN.finditer(joined):
        count += joined.count("\n", last, match.start())
        last = match.start()
        found.append(count)
    return found


def _check(
    rows: list[list[str]],
    positions: Iterable[int],
    values: list[float],
    width: int,
    index: int,
    column: str,
) -> dict[int, str]:
    """Read the rows at ``positions`` one by one: set their ``values``, return the reasons."""
    reasons: dict[int, str] = {}
    for i in positions:
        reason, value = _reason(rows[i], width, index, column)
        if reason:
            reasons[i] = reason
            values[i] = math.nan
        else:  # a number with unusual spaces around it (float() strips them)
            values[i] = value
    return reasons


def _multiply(values: list[float], factor: float) -> tuple[list[float], list[int]]:
    """``value x factor`` for each value (numpy when installed), and where that overflows."""
    try:
        import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)
    except ImportError:  # pragma: no cover - numpy is an optional dependency
        result = [value * factor for value in values]
        return result, [i for i, x in enumerate(result) if math.isinf(x) and values[i] == values[i]]
    array = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        product = array * factor
    overflow = np.flatnonzero(np.isinf(product) & ~np.isnan(array)).tolist()
    return product.tolist(), overflow
