"""The files a batch run reads and writes, and how it reports its progress.

The input is read as text that keeps undecodable bytes (surrogate escapes) and skips a UTF-8
byte-order mark, one physical line of at most :data:`MAX_LINE` characters at a time
(:class:`Lines`), its header first (:func:`read_header`: the column asked for, named once);
the files written are :mod:`.batch_output`'s. Options that cannot work raise
:class:`UsageError`, which the command line turns into a usage message and exit code 2.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import sys
from pathlib import Path
from typing import IO, Any

from equivmetrics._core.negative import NegativePolicy
from equivmetrics.exceptions import InputValueError

from .progress import new_bar, stream_for

__all__ = [
    "DECIMALS",
    "ENGINES",
    "MAX_LINE",
    "POLICIES",
    "STOPPED",
    "Lines",
    "Progress",
    "UsageError",
    "Watched",
    "check_encoding",
    "check_options",
    "decoded",
    "engine_choice",
    "open_input",
    "read_header",
    "rejects_path",
    "source_name",
    "stream_for",
]

#: What a run stopped by a line it cannot read leaves: output files are moved into place
#: only at the end; a stream (standard output, a FIFO) has been written into as it went.
STOPPED = (
    "the run stopped there: output files are left as they were, and a stream (-o -, a FIFO) "
    "holds the rows before it"
)


def _separated_hint(header: list[str], column: str) -> str:
    """Advice when ``header`` is one field that another separator would split into columns,
    one of them ``column`` (a ``;`` export read with the default comma)."""
    for separator, option in _SEPARATORS:
        if len(header) == 1 and column in header[0].split(separator):
            return f". The header is separated by {separator!r}: give --delimiter {option}"
    return ""


#: Separators a header may be written with, and how each is given on the command line.
_SEPARATORS = ((";", "';'"), ("\t", "\"$(printf '\\t')\""), ("|", "'|'"))


class UsageError(InputValueError):
    """A batch option that cannot work (missing column, bad delimiter, ...): exit code 2.

    Internal to the command line, which turns it into a usage message and exit code 2; it
    never reaches a caller of the library.
    """


def source_name(source: str) -> str:
    return "standard input" if source == "-" else repr(source)


def _reading_encoding(encoding: str) -> str:
    # skip a UTF-8 byte-order mark, which would otherwise glue itself to the first column name
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def open_input(source: str, encoding: str) -> IO[str]:
    text = _reading_encoding(encoding)
    if source == "-":
        return io.TextIOWrapper(
            sys.stdin.buffer, encoding=text, errors="surrogateescape", newline=""
        )
    try:
        raw = open(source, "rb")  # noqa: SIM115 - closed by the wrapper's context manager
    except OSError as exc:
        raise UsageError(
            f"cannot read input {source!r}: {exc.strerror or exc}", value=source
        ) from None
    return io.TextIOWrapper(raw, encoding=text, errors="surrogateescape", newline="")


#: What ``--csv-engine`` may name: the native engine when it is installed and can read the
#: input exactly (``auto``), the native engine or an error (``native``), the plain path.
ENGINES = ("auto", "native", "plain")
#: The environment variable that chooses the engine when ``--csv-engine`` is not given.
ENGINE_VARIABLE = "EQUIVMETRICS_CSV_ENGINE"


def check_encoding(encoding: str) -> None:
    """Refuse an ``--encoding`` Python does not know."""
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(
            f"--encoding {encoding!r} is not a known text encoding, e.g. utf-8 or cp1252",
            value=encoding,
        ) from None


def decoded(data: bytes, encoding: str, where: str) -> str:
    """``data`` as text in ``encoding`` (UTF-8: a byte-order mark skipped); a usage error
    naming ``where`` and the byte where it stops being such text, with the way out."""
    utf8 = codecs.lookup(encoding).name == "utf-8"
    try:
        return data.decode("utf-8-sig" if utf8 else encoding)
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{where} is not {'UTF-8' if utf8 else encoding} text (at byte offset {exc.start}); "
            "save it as UTF-8, or give its encoding (--encoding cp1252 for Excel's plain CSV on "
            "Windows)",
            value=where,
        ) from None


def engine_choice(given: str | None, decimal: str = ".") -> str:
    """``given``, else :data:`ENGINE_VARIABLE`, else ``"auto"``; one of :data:`ENGINES`.
    A decimal comma is read by the plain path only: ``"plain"`` for ``"auto"``, and the
    native engine asked for by name is a usage error."""
    choice = given if given is not None else os.environ.get(ENGINE_VARIABLE) or "auto"
    if choice not in ENGINES:
        where = "--csv-engine" if given is not None else ENGINE_VARIABLE
        raise UsageError(f"{where} {choice!r}: use one of {', '.join(ENGINES)}", value=choice)
    if decimal != "." and choice == "native":
        where = "--csv-engine native" if given is not None else f"{ENGINE_VARIABLE}=native"
        raise UsageError(
            f"--decimal ',' is read by the plain path only, not with {where}: use "
            "--csv-engine auto or plain",
            value=choice,
        )
    return choice if decimal == "." else "plain"


#: The decimal marks a batch reads and writes (``--decimal``).
DECIMALS = (".", ",")


#: The policies ``--negative`` may name.
POLICIES = ("allow", "refuse", "nan")
#: The longest input line a batch run reads, in characters with its line ending (1 MiB of
#: text): a longer one stops the run, so memory follows the chunk size, never one line.
MAX_LINE = 1_048_576


def rejects_path(output: str, rejects: str | None, source: str = "-") -> str:
    """The rejects file: given, or next to the output; never the output itself, nor the
    input (``source``), which it would replace with the rejected rows alone.

    The output may be the input: the run reads the input to its end before the new file
    replaces it.
    """
    if rejects is None:
        if output == "-":
            raise UsageError("with -o - (standard output) give --rejects PATH", value=output)
        rejects = f"{output}.rejects.csv"
    if rejects == "-" or (output != "-" and _same_file(rejects, output)):
        raise UsageError(
            f"--rejects {rejects!r} must be a file other than the output", value=rejects
        )
    if source != "-" and _same_file(rejects, source):
        raise UsageError(
            f"--rejects {rejects!r} is the input file: the run would replace it with the "
            "rejected rows alone; name another file",
            value=rejects,
        )
    return rejects


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one file (the same path, or links to one file)."""
    if Path(first).resolve() == Path(second).resolve():
        return True
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def check_options(
    delimiter: str,
    encoding: str,
    chunk_rows: int,
    negative: NegativePolicy | None,
    max_line: int,
    decimal: str = ".",
) -> None:
    """Refuse options that cannot work, before anything is read or written."""
    if decimal not in DECIMALS:
        raise UsageError(f"--decimal {decimal!r}: use '.' or ','", value=decimal)
    if negative is not None and negative not in POLICIES:
        raise UsageError(
            f"--negative {negative!r}: use one of {', '.join(POLICIES)}", value=negative
        )
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise UsageError(
            f"--delimiter {delimiter!r} must be one character other than a quote or newline "
            "(for a tab, pass a tab character: --delimiter \"$(printf '\\t')\")",
            value=delimiter,
        )
    check_encoding(encoding)
    if chunk_rows < 1:
        raise UsageError(f"chunk size must be at least 1, got {chunk_rows}", value=chunk_rows)
    if isinstance(max_line, bool) or not isinstance(max_line, int) or max_line < 2:
        raise UsageError(
            f"--max-line {max_line!r} must be a whole number of characters of at least 2, "
            f"e.g. {MAX_LINE}",
            value=max_line,
        )


class Lines:
    """The input's physical lines for the CSV reader, each at most ``limit`` characters.

    A longer line raises :class:`InputValueError` naming its line number (the header is line
    1; ``number`` lines come before the first one read), having read no more than
    ``limit + 1`` of its characters. ``chars`` counts the characters read so far, which bounds
    a chunk's memory; ``ended`` says whether the stream ran out.
    """

    def __init__(self, stream: IO[str], limit: int, number: int = 0) -> None:
        self.stream = stream
        self.limit = limit
        self.number = number
        self.chars = 0
        self.ended = False

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        line = self.stream.readline(self.limit + 1)
        if not line:
            self.ended = True
            raise StopIteration
        self.number += 1
        self.chars += len(line)
        if len(line) > self.limit:
            raise InputValueError(
                f"line {self.number} is longer than {self.limit:,} characters; {STOPPED}. Is "
                "the file CSV with one record per line? If the line is right, raise the limit "
                "(--max-line N; run_batch(max_line=N))",
                value=self.number,
            )
        return line


class Watched:
    """A CSV reader that notes a row coming out after its lines ran out: a quoted field that
    was still open at the end of the text."""

    def __init__(self, reader: Any, lines: Lines) -> None:
        self.reader = reader
        self.lines = lines
        self.open = False

    @property
    def line_num(self) -> int:
        return int(self.reader.line_num)

    def __iter__(self) -> Watched:
        return self

    def __next__(self) -> list[str]:
        row: list[str] = next(self.reader)
        self.open = self.open or self.lines.ended
        return row


class Progress:
    """Progress on ``stream``: a tqdm bar over the input's bytes (the ``[progress]`` extra),
    else a carriage-return counter (``stream`` None: say nothing)."""

    def __init__(self, stream: IO[str] | None, source: IO[Any]) -> None:
        self.stream = stream
        self.raw: Any = getattr(source, "buffer", source)
        self.size = 0
        try:
            self.size = os.fstat(self.raw.fileno()).st_size if self.raw is not None else 0
        except (OSError, AttributeError, io.UnsupportedOperation):
            self.size = 0
        self.bar: Any = None
        if stream is not None:
            self.bar = new_bar(stream, self.size, unit="B", desc="batch")

    def _read(self) -> int | None:
        if not self.size:
            return None
        with contextlib.suppress(OSError, ValueError):
            return min(self.size, int(self.raw.tell()))
        return None

    def show(self, rows: int) -> None:
        if self.stream is None:
            return
        read = self._read()
        if self.bar is not None:
            if read is not None:
                self.bar.update(read - self.bar.n)
            self.bar.set_postfix_str(f"{rows:,} rows", refresh=True)
            return
        text = f"\r{rows:,} rows"
        if read is not None:
            text += f"  {100 * read // self.size} %"
        self.stream.write(text)
        self.stream.flush()

    def done(self, rows: int) -> None:
        if self.bar is not None:
            if self.size:
                self.bar.update(self.size - self.bar.n)
            self.bar.set_postfix_str(f"{rows:,} rows, done", refresh=False)
            self.bar.close()
        elif self.stream is not None:
            self.stream.write(f"\r{rows:,} rows  done\n")
            self.stream.flush()


def read_header(reader: Any, column: str, source: str, names: list[str]) -> tuple[list[str], int]:
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
            + ", ".join(map(repr, header))
            + _separated_hint(header, column),
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
