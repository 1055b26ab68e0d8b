"""The native engine of a batch run: polars reads, converts and writes a block of clean lines.

A clean block (:mod:`.batch_blocks`: no quote but in simply quoted fields, no NUL, no blank
line, every line ending the same way) is read by polars with every field as text, so each
field is exactly what Python's ``csv`` module reads: with no quoting when the block holds no
quote character, else with ``"`` as the quote (a simply quoted field, :mod:`.batch_lines`,
reads alike in both). Polars also parses the column (a correctly rounded ``str`` to
``float``, only of cells that are plain decimal numbers), and writes the values: its shortest
round-trip text is ``repr(float)``'s except below 1e-4, where two replacements give Python's
exponent (``1.5e-05``, not ``0.000015`` or ``1.5e-5``). The rows are written with no quoting,
which is what ``csv.writer`` does with fields that hold no delimiter, quote or line break; a
block that held quotes is written quoting where ``csv.writer`` does (a field holding the
delimiter or a quote, each quote doubled), empty fields unquoted. What polars cannot read
exactly like that — a field count other than the header's, bytes that are not UTF-8, a line
over the limit — returns None and the block goes to the plain path. :func:`available` and
:func:`quoting` check all of this on probes once, so a polars that formats, parses or quotes
differently is never used for it.
"""

from __future__ import annotations

import functools
import io
import math
import signal
import threading
from typing import Any

import attrs

from . import batch_lines
from .batch_output import SIGNALS, held_signals
from .batch_rows import Job, negative_reason, overflow_reason, reason

__all__ = ["Converted", "available", "finite", "prepare", "quoting", "write"]

_PROBES = (
    100.0, 0.1, 1e16, 9999999999999998.0, 1e-4, 9.9e-5, 1e-5, 1.5e-7, 2.5e-300, 5e-324, -0.0,
    0.30000000000000004, 123456789.123, 1.7976931348623157e308, -7.25e22, 1e22,
)  # fmt: skip
#: Cells the plain path does not read as a number, or that a lenient parser might read
#: otherwise than it does: polars must read none of them as a finite number other than the
#: plain path's (:func:`available`).
_ODD_CELLS = (
    "1_000", "0x10", "0x1p3", "1e", "e5", "1.2.3", "--1", "+-1", "1d5", "1f", ".", "+", "-",
    "1e5.5", "1 000", "1,5", "0b1", "0o7", "1E+", "1.5e", "+.e1", "١٢", "𝟏", "½", "1e1_0",
    "nan", "inf", "Infinity", "-infinity", " 1", "1 ", "\t1", "1\xa0", "\u20031", "12a", "a12",
    "0.5.", "+.", "-.e", "1..2", "1e+-5", "1ee5", "0x", "0X1A", "1__0", "١.٥",
)  # fmt: skip
_SMALL = 1e-4
#: The characters of a value's text (``repr`` of a finite float).
_NUMBER_TEXT = frozenset("0123456789.e+-")
#: Rows polars formats per task when it writes a block: a quarter of a block (its default,
#: 1,024, took about twice the processor time on blocks of 65,536 rows, with one chunk each).
_WRITE_BATCH = 16_384
#: Up to this many values of a block are written by ``repr`` rather than polars' rewriting.
_BY_PYTHON = 4096


@functools.cache
def available() -> bool:
    """Whether polars and numpy are installed and write and read numbers as Python does.

    Their threads are started here with SIGINT, SIGTERM and SIGHUP held back, so that they
    never take a signal meant for the run (:func:`.batch_output.interruptible`), which the
    main thread, waiting on its input, would then not see; and the handlers of those signals
    are put back afterwards (importing polars replaces SIGINT's).
    """
    main = threading.current_thread() is threading.main_thread()
    handlers = {number: signal.getsignal(number) for number in SIGNALS} if main else {}
    try:
        with held_signals():
            return _probe()
    finally:
        for number, handler in handlers.items():
            if handler is not None:
                signal.signal(number, handler)


def _probe() -> bool:
    try:
        import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra
        import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra
    except ImportError:
        return False
    values = pl.DataFrame({"v": np.array(_PROBES)})
    try:
        shown = values.select(_text(pl.col("v")))["v"].to_list()
        numbers = [repr(v) for v in _PROBES] + ["+.5e-3", "1e999", "007", "-0", "1E+05", "5."]
        texts = pl.DataFrame({"t": numbers})
        read = texts.select(_number(pl.col("t")))["t"].to_list()
        odd = pl.DataFrame({"t": _ODD_CELLS}).select(_number(pl.col("t")))["t"].to_list()
        lines = _csv(_read(b"a; 1\n;b\n", 2, ";", 5), ";")
    except Exception:  # any polars that cannot: the plain path
        return False
    expected = list(map(float, numbers))
    return (
        shown == [repr(v) for v in _PROBES]
        and [repr(v) for v in read] == [repr(v) for v in expected]
        and all(_as_plain(cell, value) for cell, value in zip(_ODD_CELLS, odd, strict=True))
        and lines == b"a; 1\n;b\n"
    )


def _as_plain(cell: str, value: float | None) -> bool:
    """Whether polars' reading ``value`` of ``cell`` is the plain path's, or none (null, or
    not finite: such cells are read by the plain path's rules)."""
    if value is None or not math.isfinite(value):
        return True
    why, plain = reason([cell], 1, 0, "t")
    return not why and repr(plain) == repr(value)


#: Simply quoted rows (";" between fields) and how ``csv.writer`` writes them again.
_QUOTED = (
    b'"a;b";"c""d";"";e;"1.5";" x "\n"";"";"";"";"";""\n',
    b'"a;b";"c""d";;e;1.5; x \n;;;;;\n',
)


@functools.cache
def quoting() -> bool:
    """Whether polars reads simply quoted fields and writes them as Python's ``csv`` module
    does (checked on a probe once; False without polars)."""
    if not available():
        return False
    try:
        frame = _read(_QUOTED[0], 6, ";", 5, quoted=True)
        return _csv(frame, ";", quoted=True) == _QUOTED[1]
    except Exception:  # any polars that cannot: quotes go to the plain path
        return False


def finite(factor: float) -> bool:
    return math.isfinite(factor)


def _text(values: Any) -> Any:
    """Polars expression: ``repr`` of each float (finite ones)."""
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    text = values.cast(pl.String)
    small = (values.abs() < _SMALL) & (values != 0)
    python = (
        text.str.replace(r"e-(\d)$", "e-0$1")
        .str.replace(r"^(-?)0\.0000([1-9])$", "${1}${2}e-05")
        .str.replace(r"^(-?)0\.0000([1-9])(\d+)$", "${1}${2}.${3}e-05")
    )
    return pl.when(small).then(python).otherwise(text)


def _number(cells: Any) -> Any:
    """Polars expression: the float of each cell polars reads as a number, else null.

    Polars reads as a finite number only a plain decimal number with nothing around it, to
    its correctly rounded value, which is what the plain path reads (:func:`.batch_rows.reason`;
    checked on 212,000 strings when written, and on :data:`_ODD_CELLS` by :func:`available`
    in every process). A cell it does not read (one padded with spaces, say), or reads as
    not finite, is read by the plain path's rules (:func:`_values`). Asking polars to match
    a pattern first cost about a tenth of a run.
    """
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    return cells.cast(pl.Float64, strict=False)


@attrs.frozen
class Converted:
    """A block converted and not yet written: its first ``size`` bytes, ``rows`` lines."""

    size: int
    rows: int
    #: The output's lines: each row as it was, with its converted values.
    text: bytes
    #: The rejected rows: position in the block, reason, fields.
    rejects: list[tuple[int, str, list[str]]]

    @property
    def converted(self) -> int:
        return self.rows - len(self.rejects)


def prepare(block: bytes, job: Job, lines: int | None = None) -> Converted | int:
    """Convert the rows of ``block`` (whole lines; at most ``job.chunk_rows`` of them are
    read): the :class:`Converted` rows, to :func:`write`; or, when polars cannot read its
    first line exactly as the plain path does, where the first such line starts (0: the
    first, or not known). It reads ``job`` and changes nothing, so blocks may be prepared on
    several threads at once. ``lines``, when known, is how many line breaks ``block`` holds."""
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    ending = batch_lines.ending(block)
    if ending is None:
        return 0
    quoted = b'"' in block
    try:
        frame = _read(block, job.width, job.delimiter, job.chunk_rows, quoted=quoted)
    except pl.exceptions.PolarsError:  # a row with more fields than the header, not UTF-8
        return batch_lines.unreadable(block, job)
    if not frame.height:
        return 0
    read = (
        frame.lazy()
        .select(
            batch_lines.field_bytes(quoted).alias("n"),
            _number(pl.col(f"c{job.index}")).alias("v"),
        )
        .with_columns(
            (pl.col("v") * c.factor).cast(pl.String).alias(f"t{k}")
            for k, c in enumerate(job.compiled)
        )
        .collect()
    )
    size = batch_lines.checked_size(
        read.get_column("n").to_numpy(), block, ending, job, lines, quoted=quoted
    )
    if size <= 0:
        return -size
    values, reasons, fields = _values(frame, read.get_column("v"), job)
    return _converted(frame, read, values, reasons, fields, size, job, quoted=quoted)


def write(done: Converted, first: int, job: Job) -> None:
    """Write ``done``'s rows, the first of them line ``first + 1``, and its rejects."""
    _put(job.out, done.text)
    job.rejected.writerows([first + 1 + i, why, *fields] for i, why, fields in done.rejects)
    job.add(done.rows, done.converted)


def _read(block: bytes, width: int, delimiter: str, rows: int, *, quoted: bool = False) -> Any:
    """Polars' frame of the first ``rows`` lines of ``block``: every field as text, as is, an
    empty one null (``quoted``: simply quoted fields read without their quotes, ``""`` null
    too)."""
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    return pl.read_csv(
        block,
        has_header=False,
        schema={f"c{i}": pl.String for i in range(width)},
        separator=delimiter,
        quote_char='"' if quoted else None,
        null_values=[""] if quoted else None,
        n_rows=rows,
        encoding="utf8",
    )


def _csv(frame: Any, delimiter: str, *, quoted: bool = False) -> bytes:
    """``frame``'s rows as CSV, every field as it is (null: empty); quoted where Python's
    ``csv.writer`` quotes (an empty field is null, so not quoted) when the block held quotes
    (``quoted``) or the delimiter is a character of a number's text (``--delimiter .``: a
    value such as ``0.5`` is then written ``"0.5"``)."""
    quoted = quoted or delimiter in _NUMBER_TEXT
    data = io.BytesIO()
    frame.write_csv(
        data,
        include_header=False,
        separator=delimiter,
        line_terminator="\n",
        quote_style="necessary" if quoted else "never",
        null_value="",
        batch_size=_WRITE_BATCH,
    )
    return data.getvalue()


def _values(frame: Any, read: Any, job: Job) -> tuple[Any, dict[int, str], dict[int, Any]]:
    """The column's values (NaN where bad), the reason for each bad row by position, and the
    fields of the rows looked at one by one.

    The cells polars does not read as plain finite numbers are read one by one as the plain
    path reads them (:func:`.batch_rows.reason`: a number padded with spaces is good).
    """
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    values = read.to_numpy().astype(np.float64, copy=True)
    suspects = np.flatnonzero(~np.isfinite(values)).tolist()
    fields = _rows(frame, suspects, job.width)
    reasons: dict[int, str] = {}
    readings: dict[object, tuple[str, float]] = {}  # a row's reading follows from its cell
    for i in suspects:
        row = fields[i]
        cell = row[job.index] if len(row) == job.width else len(row)
        found = readings.get(cell)
        if found is None:
            found = readings[cell] = reason(row, job.width, job.index, job.column)
        why, value = found
        if why:
            reasons[i] = why
            values[i] = math.nan
        else:
            values[i] = value
    return values, reasons, fields


def _rows(frame: Any, positions: list[int], width: int) -> dict[int, Any]:
    """Rows at ``positions`` as the csv module reads them (a blank line of a one-column file:
    no field)."""
    if not positions:
        return {}
    rows = frame[positions].rows()
    if width == 1:
        return {
            i: [] if row[0] is None else list(row) for i, row in zip(positions, rows, strict=True)
        }
    return {
        i: ["" if f is None else f for f in row] for i, row in zip(positions, rows, strict=True)
    }


def _converted(
    frame: Any,
    read: Any,
    values: Any,
    reasons: dict[int, str],
    fields: dict[int, Any],
    size: int,
    job: Job,
    *,
    quoted: bool = False,
) -> Converted:
    """The rows with their converted values (``read``'s text of each product, ``t0``, ``t1``,
    ...), and the rejected ones with their reasons."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    with np.errstate(invalid="ignore"):
        negative = np.flatnonzero(values < 0).tolist()
    products = []
    for c, policy in zip(job.compiled, job.policies, strict=True):
        with np.errstate(over="ignore", invalid="ignore"):
            product = values * c.factor
        if policy != "allow":
            for i in negative:
                reasons.setdefault(i, negative_reason(c, policy))
        for i in np.flatnonzero(np.isinf(product) & ~np.isnan(values)).tolist():
            reasons.setdefault(i, overflow_reason(c))
        products.append(product)
    bad = np.zeros(frame.height, dtype=bool)
    bad[list(reasons)] = True
    # cells the plain path's reading took (polars read them as null): written from Python
    redo = [i for i in fields if i not in reasons]
    shown = pl.DataFrame(
        [_shown(read.get_column(f"t{k}"), product, bad, redo) for k, product in enumerate(products)]
    )
    # one chunk per column: polars writes a frame whose columns are chunked alike about
    # twice as fast as the read columns (a chunk per reading thread) beside the new ones
    text = _csv(frame.hstack(shown).rechunk(), job.delimiter, quoted=quoted)
    rejected = sorted(reasons)
    fields.update(_rows(frame, [i for i in rejected if i not in fields], job.width))
    return Converted(size, frame.height, text, [(i, reasons[i], fields[i]) for i in rejected])


def _shown(text: Any, product: Any, bad: Any, redo: list[int]) -> Any:
    """The polars column ``text`` (polars' text of each product) as ``repr`` writes each,
    null where the row is bad; the rows ``redo`` from ``product``."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    with np.errstate(invalid="ignore"):
        small = (np.abs(product) < _SMALL) & (product != 0) & ~bad
    if redo:
        small[redo] = True
    fix = np.flatnonzero(small)
    if fix.size > _BY_PYTHON:  # Python's exponent below 1e-4, by polars
        fixed = pl.DataFrame({"v": product[fix]}).select(_text(pl.col("v"))).to_series()
        text = text.scatter(fix, fixed)
    elif fix.size:
        text = text.scatter(fix, pl.Series([repr(v) for v in product[fix].tolist()]))
    bad_rows = np.flatnonzero(bad)
    if bad_rows.size:
        text = text.scatter(bad_rows, None)
    return text


def _put(out: Any, data: bytes) -> None:
    """Write UTF-8 ``data`` to the text file ``out``, after what it holds."""
    buffer = getattr(out, "buffer", None)
    if buffer is None:
        out.write(data.decode("utf-8"))
        return
    out.flush()
    buffer.write(data)
