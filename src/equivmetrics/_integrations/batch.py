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
import io
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

from .batch_blocks import Blocks, native_blocks
from .batch_files import (
    MAX_LINE,
    STOPPED,
    Lines,
    Progress,
    UsageError,
    Watched,
    check_options,
    engine_choice,
    open_input,
    read_header,
    rejects_path,
)
from .batch_output import Outputs
from .batch_rows import Job, negative_reason, overflow_reason, pointed
from .batch_rows import reason as row_reason
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
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: The start of each line of a column that is not a plain decimal number (spaces allowed).
_NOT_PLAIN = re.compile(
    r"^(?![ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$)", re.MULTILINE | re.ASCII
)
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
    csv_engine: str | None = None,
    decimal: str = ".",
) -> Summary:
    """Convert column ``column`` (in ``unit``) of CSV file ``source`` to each target kind.

    ``"-"``: standard input/output (then give ``rejects``, else ``output + ".rejects.csv"``).
    ``negative`` overrides the conversions' policy. Options that cannot work raise
    :class:`UsageError` before anything is written; a line over ``max_line`` characters stops
    the run (:class:`InputValueError`); the output and rejects files are moved into place
    together or not at all (:class:`~.batch_output.Outputs`). ``csv_engine``: ``"auto"``,
    ``"native"`` (:mod:`.batch_blocks`) or ``"plain"``; ``decimal``: ``","`` for decimal commas.
    """
    chunk_rows = CHUNK_ROWS if chunk_rows is None else chunk_rows
    check_options(delimiter, encoding, chunk_rows, negative, max_line, decimal)
    choice = engine_choice(csv_engine, decimal)
    rejects = rejects_path(output, rejects, source)
    compiled = [engine.compile(unit, kind, of=of, unit=out, per=per) for kind, out in to]
    names = [column_name(c.kind, c.unit) for c in compiled]
    policies = [negative or c.negative for c in compiled]
    with open_input(source, encoding) as opened:
        # blocks of half a chunk's characters in bytes: with the copy made while reading one,
        # the native engine's input takes no more memory than a chunk of the plain path's
        blocks = native_blocks(opened, choice, encoding, delimiter, compiled, CHUNK_CHARS // 2)
        stream, blocks, lines = _start(opened, blocks, encoding, max_line)
        reader = csv.reader(lines, delimiter=delimiter, strict=False)
        header, index = read_header(reader, column, source, names)
        with Outputs(output, rejects, encoding) as (out, bad):
            writer, rejected = _writers(out, bad, delimiter, header, names)
            job = Job(len(header), index, column, compiled, policies, delimiter, chunk_rows,
                      max_line, out, writer, rejected, Progress(progress, stream),
                      decimal=decimal)  # fmt: skip
            if blocks is None:
                _plain(reader, lines, job, 0)
            else:
                blocks.run(job, _segment, _rest)
            job.counter.done(job.rows)
    targets = tuple(
        {"kind": c.kind, "unit": c.unit, "column": name, "factor": c.factor, "negative": policy}
        for c, name, policy in zip(compiled, names, policies, strict=True)
    )
    return Summary(job.rows, job.converted, job.rows - job.converted, output, rejects, column,
                   targets)  # fmt: skip


def _writers(out: IO[str], bad: IO[str], delimiter: str, header: list[str],
             names: list[str]) -> tuple[Any, Any]:  # fmt: skip
    """The CSV writers of the output and the rejects file, their headers written."""
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    rejected = csv.writer(bad, delimiter=delimiter, lineterminator="\n")
    writer.writerow([*header, *names])
    rejected.writerow(["line", "reason", *header])
    return writer, rejected


def _start(
    stream: IO[str], blocks: Blocks | None, encoding: str, max_line: int
) -> tuple[IO[str], Blocks | None, Lines]:
    """The input, its blocks for the native engine (None: the plain path reads all of it) and
    the lines the header is read from."""
    if blocks is None:
        return stream, None, Lines(stream, max_line)
    header = blocks.header(max_line)
    if header is None:  # a header the native engine does not read: the plain path reads all
        rest = blocks.rest(encoding, start=True)
        return rest, None, Lines(rest, max_line)
    return stream, blocks, Lines(io.StringIO(header, newline=""), max_line)


def _plain(reader: Any, lines: Lines, job: Job, first: int) -> None:
    """Convert and write the rows ``reader`` reads; ``first`` lines come before them."""
    for chunk, numbers in _chunks(reader, lines, job.chunk_rows, first):
        job.add(len(chunk), _convert(chunk, numbers, job))


def _rest(stream: IO[str], first: int, job: Job) -> None:
    """The plain path over the rest of the input, whose first line is ``first + 1``."""
    lines = Lines(stream, job.max_line, first)
    _plain(csv.reader(lines, delimiter=job.delimiter, strict=False), lines, job, first)


def _segment(text: str, first: int, job: Job) -> int | None:
    """The plain path over ``text``, whole lines of the input, the first of them line
    ``first + 1``: the number of lines it had, or None (nothing written) when it ends inside
    a quoted field, whose rest the following lines hold."""
    lines = Lines(io.StringIO(text, newline=""), job.max_line, first)
    reader = Watched(csv.reader(lines, delimiter=job.delimiter, strict=False), lines)
    chunks = list(_chunks(reader, lines, job.chunk_rows, first))
    if reader.open:
        return None
    for chunk, numbers in chunks:
        job.add(len(chunk), _convert(chunk, numbers, job))
    return lines.number - first


def _convert(rows: list[list[str]], numbers: Sequence[int], job: Job) -> int:
    return _convert_chunk(rows, numbers, job.width, job.index, job.column, job.compiled,
                          job.policies, job.writer, job.rejected, job.decimal)  # fmt: skip


def _chunks(
    reader: Any, lines: Lines, size: int, first: int = 0
) -> Iterator[tuple[list[list[str]], Sequence[int]]]:
    """Lists of at most ``size`` rows and about :data:`CHUNK_CHARS` characters, with the
    physical line each row starts on (``first`` lines come before the reader's)."""
    while True:
        start, chars = first + reader.line_num, lines.chars
        rows: list[list[str]] = []
        try:
            for row in reader:
                rows.append(row)
                if len(rows) >= size or lines.chars - chars >= CHUNK_CHARS:
                    break
        except csv.Error as exc:
            number = first + reader.line_num
            raise InputValueError(
                f"line {number}: cannot read the CSV ({exc}); {STOPPED}", value=number
            ) from None
        if not rows:
            return
        if first + reader.line_num - start == len(rows):  # one line per row: the usual case
            yield rows, range(start + 1, start + 1 + len(rows))
            continue
        numbers, line = [], start + 1  # some quoted field spans lines: count its line breaks
        for row in rows:
            numbers.append(line)
            line += 1 + sum(len(_LINE_BREAK.findall(field)) for field in row)
        yield rows, numbers


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
    decimal: str = ".",
) -> int:
    """Convert and write one chunk; return how many of its rows were converted."""
    values, reasons = _parse(rows, width, index, column, decimal)
    columns = []
    negative = [i for i, value in enumerate(values) if value < 0]
    for c, policy in zip(compiled, policies, strict=True):
        result, overflow = _multiply(values, c.factor)
        if policy != "allow":
            for i in negative:
                reasons.setdefault(i, negative_reason(c, policy))
        for i in overflow:
            reasons.setdefault(i, overflow_reason(c))
        columns.append(result)
    written = repr if decimal == "." else _comma_repr
    for result in columns:
        for row, text in zip(rows, map(written, result), strict=True):
            row.append(text)
    blank = [""] * len(compiled)
    for i in sorted(reasons):
        row = rows[i][: -len(compiled)]  # the input fields as read
        rejected.writerow([lines[i], reasons[i], *row])
        rows[i] = row[:width] + [""] * (width - len(row)) + blank
    writer.writerows(rows)
    return len(rows) - len(reasons)


def _comma_repr(value: float) -> str:
    """``repr(value)`` with a decimal comma: ``0,5``, ``1,5e-05``."""
    return repr(value).replace(".", ",")


def _parse(
    rows: list[list[str]], width: int, index: int, column: str, decimal: str = "."
) -> tuple[list[float], dict[int, str]]:
    """The column's values (NaN where bad) and the reason for each bad row, by position.

    The usual chunk (every row as wide as the header, no line break in the column) is parsed
    in C: one regular-expression scan finds the cells that are not plain decimal numbers, and
    only those go through :func:`.batch_rows.reason` one by one.
    """
    if rows and min(map(len, rows)) == max(map(len, rows)) == width:
        cells = list(map(operator.itemgetter(index), rows))
        if decimal != ".":  # as plain numbers; one not written with the comma: a suspect
            cells = [pointed(cell.strip(), decimal) or "x" for cell in cells]
        joined = "\n".join(cells)
        if joined.count("\n") == len(cells) - 1 and "\r" not in joined:
            suspects = _suspects(joined)
            for i in suspects:
                cells[i] = "nan"
            values = list(map(float, cells))
            if any(map(math.isinf, values)):  # "1e999": a plain number, but too large
                suspects += [i for i, value in enumerate(values) if math.isinf(value)]
            return values, _check(rows, suspects, values, width, index, column, decimal)
    values = [math.nan] * len(rows)
    return values, _check(rows, range(len(rows)), values, width, index, column, decimal)


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
    decimal: str = ".",
) -> dict[int, str]:
    """Read the rows at ``positions`` one by one: set their ``values``, return the reasons."""
    reasons: dict[int, str] = {}
    for i in positions:
        reason, value = row_reason(rows[i], width, index, column, decimal)
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
