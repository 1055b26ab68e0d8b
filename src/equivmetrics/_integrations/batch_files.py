"""The files a batch run reads and writes, and how it reports its progress.

The input is read as text that keeps undecodable bytes (surrogate escapes) and skips a UTF-8
byte-order mark; each output is written under a temporary name next to its final one and moved
into place only when the run completes (:class:`Destination`), so a failed run leaves the
earlier files as they were. Options that cannot work raise :class:`UsageError`, which the
command line turns into a usage message and exit code 2.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from equivmetrics.exceptions import InputValueError

from .progress import new_bar, stream_for

__all__ = ["Destination", "Progress", "UsageError", "open_input", "source_name", "stream_for"]


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


class Destination:
    """A file written under a temporary name and moved into place on success only."""

    def __init__(self, path: str, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self.temp: str | None = None
        self.file: io.TextIOWrapper

    def __enter__(self) -> Destination:
        if self.path == "-":
            self.file = io.TextIOWrapper(
                sys.stdout.buffer,
                encoding=self.encoding,
                errors="surrogateescape",
                newline="",
                write_through=True,
            )
            return self
        final = Path(self.path)
        try:
            handle, self.temp = tempfile.mkstemp(
                dir=final.parent, prefix=f".{final.name}.", suffix=".part"
            )
        except OSError as exc:
            raise UsageError(
                f"cannot write {self.path!r}: {exc.strerror or exc}", value=self.path
            ) from None
        self.file = open(handle, "w", encoding=self.encoding, errors="surrogateescape", newline="")
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.temp is None:
            self.file.flush()
            self.file.detach()  # leave standard output open
            return
        try:
            if kind is None:
                self.file.flush()
                os.fsync(self.file.fileno())
            self.file.close()
            if kind is None:
                os.chmod(self.temp, _mode(self.path))
                os.replace(self.temp, self.path)
                self.temp = None
        finally:
            if self.temp is not None:
                os.unlink(self.temp)


def _mode(path: str) -> int:
    """The permissions a new file gets here: those of the file it replaces, or per the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


class Progress:
    """Progress on ``stream``: a tqdm bar over the input's bytes (the ``[progress]`` extra),
    else a carriage-return counter (``stream`` None: say nothing)."""

    def __init__(self, stream: IO[str] | None, source: IO[str]) -> None:
        self.stream = stream
        self.raw: Any = getattr(source, "buffer", None)
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
