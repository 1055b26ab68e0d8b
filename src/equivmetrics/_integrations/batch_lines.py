"""Which lines of a block the native batch engine reads as rows, and how it knows.

A block is whole lines of the input's bytes. :func:`clean_until` finds the first line the
native engine must not read (a NUL, a stray carriage return, quoting polars might read
differently from Python's ``csv`` module: :func:`simply_quoted`), and :func:`plain_part`
how far the plain path goes from there; :func:`ending` says how every line ends. After
polars has read a block, :func:`checked_size` checks, by counting bytes, that each line was
exactly one row as wide as the header and within the limits, or says where the first line
starts that was not (:func:`unreadable` does so when polars refused the block): that line
and the ones after it go to the plain path.
"""

from __future__ import annotations

import csv
from typing import Any

from .batch_rows import Job

__all__ = [
    "checked_size",
    "clean_until",
    "ending",
    "field_bytes",
    "line_start",
    "plain_part",
    "simply_quoted",
    "unreadable",
]

_NEWLINE = ord("\n")
_QUOTE = ord('"')
_RETURN = ord("\r")


def field_bytes(quoted: bool) -> Any:
    """Polars expression: each row's bytes in its fields (``quoted``: less the quote
    characters the fields hold, which were written doubled and are counted from the line)."""
    import polars as pl  # noqa: PLC0415 - polars is the optional [fast] extra

    total = pl.sum_horizontal(pl.all().str.len_bytes().fill_null(0))
    if not quoted:
        return total
    inner = pl.sum_horizontal(pl.all().str.count_matches('"', literal=True).fill_null(0))
    return total - inner


def _quotes_per_line(block: bytes, rows: int) -> Any:
    """How many quote characters each of the first ``rows`` lines of ``block`` holds."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    data = np.frombuffer(block, dtype=np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(data == _NEWLINE)[:rows] + 1))
    counts = np.diff(np.searchsorted(np.flatnonzero(data == _QUOTE), starts))
    return np.pad(counts, (0, max(0, rows - counts.size)))[:rows]


def ending(block: bytes) -> int | None:
    """How long each line's ending is (1 for ``\\n``, 2 for ``\\r\\n``); None if they differ."""
    if b"\r" not in block:
        return 1
    breaks = block.count(b"\n")
    return 2 if block.count(b"\r") == block.count(b"\r\n") == breaks else None


def checked_size(
    lengths: Any, block: bytes, ending: int, job: Job, lines: int | None, *, quoted: bool = False
) -> int:
    """The bytes of ``block`` read as rows whose fields are ``lengths`` bytes long, when each
    line was one row of the header's width, none longer than the limit; else minus where the
    first other line starts.

    A line polars reads with fewer fields than the header's, or a blank one, is shorter than
    its fields and delimiters make it (a longer one is an error of polars'), so the lines
    match their rows when the lengths add up to the line break that ends the last row.
    ``lines``: the line breaks in ``block``, when known (then not counted again). ``quoted``:
    ``lengths`` leave out the quote characters as written (:func:`field_bytes`), which are
    counted from ``block`` (each line's only when a line is not its row).
    """
    rows = len(lengths)
    extra = job.width - 1 + ending  # the delimiters and the line ending
    size = int(lengths.sum()) + rows * extra
    if quoted:
        size += block.count(b'"', 0, _line_end(block, rows, lines))
    ok = size <= len(block) and block[size - 1] == ord("\n")
    whole = lines is not None and size == len(block)
    if not ok or (lines if whole else block.count(b"\n", 0, size)) != rows:
        if quoted:
            lengths = lengths + _quotes_per_line(block, rows)
        return -_first_other(block, lengths + extra)
    if quoted:  # each line's fields as written, quotes and all
        lengths = _line_lengths(block, rows) - extra
    # a line over the limit, or a field over the csv module's: the plain path says which
    # (bytes: at least as many as characters, and a line's fields together)
    most = min(job.max_line - extra, csv.field_size_limit())
    if int(lengths.max()) > most:
        return -line_start(block, int((lengths > most).argmax()))
    return size


def _line_end(block: bytes, rows: int, lines: int | None) -> int:
    """Where the first ``rows`` lines of ``block`` end (its length when it has no more)."""
    if lines is not None and lines <= rows:
        return len(block)
    ends = _line_lengths(block, rows).cumsum()
    return int(ends[-1]) if ends.size == rows else len(block)


def _line_lengths(block: bytes, rows: int) -> Any:
    """The lengths of the first ``rows`` lines of ``block``, their line breaks included."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == _NEWLINE)[:rows] + 1
    return np.diff(ends, prepend=0)


def _first_other(block: bytes, lengths: Any) -> int:
    """Where the first line of ``block`` starts whose length is not in ``lengths``."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    actual = _line_lengths(block, len(lengths))
    differ = np.flatnonzero(actual != lengths[: len(actual)])
    return line_start(block, int(differ[0]) if differ.size else len(actual))


def unreadable(block: bytes, job: Job) -> int:
    """Where the first line starts that polars refused: bytes that are not UTF-8, or more
    fields than the header has."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    try:
        block.decode("utf-8")
    except UnicodeDecodeError as exc:
        return block.rfind(b"\n", 0, exc.start) + 1
    data = np.frombuffer(block, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n")) + 1
    marks = np.flatnonzero(data == ord(job.delimiter))
    fields = np.diff(np.searchsorted(marks, ends), prepend=0) + 1
    wide = np.flatnonzero(fields > job.width)
    return line_start(block, int(wide[0])) if wide.size else 0


def line_start(block: bytes, line: int) -> int:
    """Where line ``line`` (from 0) of ``block`` starts."""
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    if not line:
        return 0
    ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == ord("\n"))
    return int(ends[line - 1]) + 1


def simply_quoted(data: bytes, start: int, delimiter: str, end: int | None = None) -> int:
    """Where the first line of ``data[start:end]`` (whole lines) begins whose quoting is not
    simple, or ``end`` (default: the length of ``data``) when there is none.

    A line is simply quoted when each of its fields either holds no quote character, or is
    all quoted: it starts with one, holds no line break and no quote but doubled ones (``""``
    for ``"``), and its closing quote ends the field. Such a line is one row, read alike by
    Python's ``csv`` module and by polars. Anything else — a quote inside an unquoted field,
    text after a closing quote, a quoted field running onto the next line — is not.

    Read as the ``csv`` module's state: the quotes of a line alternately open and close a
    quoted stretch (a doubled quote closes one and opens the next at once), so a line is
    simple when it holds an even number, each opening one follows a delimiter, a line break
    or a closing quote, and each closing one is followed by a delimiter, a line ending or an
    opening quote.
    """
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    stop = len(data) if end is None else end
    view = np.frombuffer(data, dtype=np.uint8)[start:stop]
    quotes = np.flatnonzero(view == _QUOTE)
    if not quotes.size:
        return stop
    breaks = np.flatnonzero(view == _NEWLINE)
    tail = [] if view[-1] == _NEWLINE else [view.size]  # a last line without its break
    starts = np.concatenate(([0], breaks + 1, tail))
    odd = np.flatnonzero(np.diff(np.searchsorted(quotes, starts)) % 2)  # quotes per line
    mark = ord(delimiter)
    opening, closing = quotes[0::2], quotes[1::2]
    before = view[np.maximum(opening - 1, 0)]
    after = view[np.minimum(closing + 1, view.size - 1)]
    wrong_open = ~_among(before, (mark, _NEWLINE, _QUOTE)) & (opening > 0)
    wrong_close = ~_among(after, (mark, _NEWLINE, _QUOTE, _RETURN))
    bad = [int(starts[odd[0]])] if odd.size else []
    for wrong, where in ((wrong_open, opening), (wrong_close, closing)):
        found = np.flatnonzero(wrong)
        if found.size:  # the start of the line holding that quote
            bad.append(int(starts[np.searchsorted(starts, where[found[0]], side="right") - 1]))
    return start + min(bad) if bad else stop


def _among(values: Any, allowed: tuple[int, ...]) -> Any:
    """Whether each byte of ``values`` is one of ``allowed``."""
    found = values == allowed[0]
    for byte in allowed[1:]:
        found |= values == byte
    return found


def plain_part(block: bytes, at: int, quotes: str | None, window: int) -> int:
    """Where the plain path's part of ``block`` from ``at`` (a line the native engine cannot
    read) ends: at the first run of lines it can read that is at least four ``window``
    long (256 KiB by default: polars' pass over a shorter run, a task per column, costs
    about what the plain path does; measured on 13 columns). The lines it cannot read are
    found one at a time (a field spanning two lines is two such lines), and after
    :data:`_ONE_BY_ONE` of them the part grows by at least that run's length at a time, so a
    block of such lines costs no look per line."""
    stride = 4 * window
    end = block.find(b"\n", at) + 1 or len(block)  # past the line it cannot read
    looks = 0
    while end < len(block):
        following = clean_until(block, quotes, end)
        if following - end >= stride or following == len(block):
            return end
        looks += 1
        past = following if looks < _ONE_BY_ONE else max(following, end + stride - 1)
        end = block.find(b"\n", past) + 1 or len(block)
    return end


#: How many lines the native engine cannot read :func:`plain_part` finds one at a time.
_ONE_BY_ONE = 16


#: The bytes :func:`clean_until` looks at first; each further look is four times larger.
_LOOK = 4 * 1024


def clean_until(block: bytes, quotes: str | None = None, start: int = 0) -> int:
    """Where the first line from ``start`` (a line's start) begins that the native engine
    must not read: one with a NUL, a carriage return when not every line (of the part looked
    at) ends with one, or a quote character — outside simply quoted fields when ``quotes``
    (the delimiter) allows them (:func:`simply_quoted`); the length of ``block`` when there
    is none. It looks at whole lines, 4 KiB first, then four times more at each look, so
    its cost follows the distance to that line, not the length of the block."""
    look, at = _LOOK, start
    while at < len(block):
        end = block.find(b"\n", at + look - 1) + 1 or len(block)
        stop = _first_dirty(block, at, end, quotes)
        if stop < end:
            return stop
        at, look = end, look * 4
    return len(block)


def _first_dirty(block: bytes, start: int, end: int, quotes: str | None) -> int:
    """:func:`clean_until` within the whole lines ``block[start:end]`` (``end``: all clean)."""
    marks = [block.find(b"\0", start, end)]
    if block.find(b"\r", start, end) >= 0:
        breaks = block.count(b"\n", start, end)
        carriage = block.count(b"\r", start, end)
        if not carriage == block.count(b"\r\n", start, end) == breaks:
            marks.append(block.find(b"\r", start, end))
    quote = block.find(b'"', start, end)
    if quotes is None:
        marks.append(quote)
    starts = [block.rfind(b"\n", 0, mark) + 1 for mark in marks if mark >= 0]
    if quotes is not None and quote >= 0:
        line = block.rfind(b"\n", 0, quote) + 1
        starts.append(simply_quoted(block, line, quotes, end))
    return min(starts, default=end)
