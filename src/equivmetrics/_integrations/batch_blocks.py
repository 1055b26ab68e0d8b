"""The native engine's reading of a batch input: blocks of whole lines, each converted in bulk
when it is clean, else by the plain path.

With the ``[fast]`` extra installed (polars and numpy), a UTF-8 input is read as bytes, in
blocks of whole lines (at most the chunk's rows, about :data:`.batch.CHUNK_CHARS` bytes). A
block's lines up to the first that could read differently in Python's ``csv`` module — a quote
character other than in a simply quoted field (:func:`.batch_lines.simply_quoted`), a
carriage return that does not end every line, a NUL, a blank line — are converted by
:mod:`.batch_native` at once; what polars cannot read exactly as the plain path does (a field
count other than the header's, bytes that are not UTF-8, a line over the limit) goes, with
the lines from that one on, through the plain path (:func:`.batch._segment`), about
:data:`WINDOW` bytes at a time. A quoted field still open at the end of that text is read
again with the whole block, and if it is open even then, the plain path reads the rest of
the input. Both paths write the same bytes, so where a line went never shows in the files.
"""

from __future__ import annotations

import codecs
import collections
import io
import os
import select
import stat
from collections.abc import Callable, Sequence
from typing import IO, Any

from equivmetrics._engine.compiled import Compiled

from .batch_files import UsageError
from .batch_lines import clean_until, plain_part, simply_quoted
from .batch_rows import Job
from .batch_workers import Work, Workers

__all__ = ["WINDOW", "Blocks", "native_blocks"]

#: How many bytes, about, the plain path reads after a line the native engine cannot take.
WINDOW = 64 * 1024
#: ``auto`` leaves a regular file smaller than this to the plain path (polars takes a tenth
#: of a second to import).
NATIVE_FROM = 1024 * 1024
#: The largest piece read from the input at once.
_PIECE = 1024 * 1024
_BOM = codecs.BOM_UTF8
_NEWLINE = ord("\n")
#: From this many bytes on, line breaks are counted by numpy.
_COUNT_BY_NUMPY = 4096

Segment = Callable[[str, int, Job], "int | None"]
Rest = Callable[[IO[str], int, Job], None]


def native_blocks(
    stream: IO[str],
    choice: str,
    encoding: str,
    delimiter: str,
    compiled: Sequence[Compiled],
    size: int,
) -> Blocks | None:
    """The input as :class:`Blocks` when the native engine is to read it, else None.

    ``choice`` ``"native"`` without the engine installed is a :class:`UsageError`.
    """
    if choice == "plain":
        return None
    from . import batch_native  # noqa: PLC0415 - imports polars, the optional [fast] extra

    if not batch_native.available():
        if choice == "native":
            raise UsageError(
                "--csv-engine native needs polars and numpy: pip install 'equivmetrics[fast]'",
                value=choice,
            )
        return None
    raw = getattr(stream, "buffer", None)
    fits = (
        codecs.lookup(encoding).name == "utf-8"
        and delimiter.isascii()
        and delimiter != "\0"
        and all(batch_native.finite(c.factor) for c in compiled)
        and hasattr(raw, "read1")
    )
    if not fits or (choice == "auto" and _small(raw)):
        return None
    return Blocks(raw, size, delimiter if batch_native.quoting() else None)


def _newlines(data: bytes, stop: int | None = None) -> int:
    """The line breaks in ``data[:stop]`` (numpy counts a megabyte several times faster than
    ``bytes.count``)."""
    end = len(data) if stop is None else stop
    if end < _COUNT_BY_NUMPY:
        return data.count(b"\n", 0, end)
    import numpy as np  # noqa: PLC0415 - numpy is the optional [fast] extra

    return int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8, count=end) == _NEWLINE))


def _regular(raw: Any) -> bool:
    """Whether ``raw`` reads a regular file (whose reads never wait)."""
    try:
        return stat.S_ISREG(os.fstat(raw.fileno()).st_mode)
    except (OSError, AttributeError, ValueError):
        return False


def _small(raw: Any) -> bool:
    try:
        status = os.fstat(raw.fileno())
    except (OSError, AttributeError, ValueError):
        return False
    return stat.S_ISREG(status.st_mode) and status.st_size < NATIVE_FROM


class Blocks:
    """The input's bytes, taken from the front as blocks of whole lines."""

    def __init__(self, raw: Any, size: int, quotes: str | None = None) -> None:
        self.raw = raw
        self.size = size
        #: The delimiter, when the native engine reads simply quoted fields (None: a quote
        #: sends its line to the plain path).
        self.quotes = quotes
        self.pending = b""
        self.lines = 0  # line breaks in pending
        self.eof = False
        self.regular = _regular(raw)

    def _fill(self, lines: int, *, wait: bool = True) -> None:
        """Read until ``lines`` line breaks or :attr:`size` bytes are pending, or the end;
        without ``wait``, only what the input holds now."""
        parts = [self.pending]
        held = len(self.pending)
        while not self.eof and held < self.size and self.lines < lines:
            if not wait and not self._readable():
                break
            piece = self.raw.read1(min(_PIECE, self.size - held))
            if not piece:
                self.eof = True
            parts.append(piece)
            held += len(piece)
            self.lines += _newlines(piece)
        self.pending = b"".join(parts)

    def _readable(self) -> bool:
        """Whether a read now returns without waiting (a file; a pipe holding bytes)."""
        if self.regular:
            return True
        try:
            return bool(select.select([self.raw], [], [], 0)[0])
        except (OSError, ValueError):  # no select for it (Windows pipes): do not risk it
            return False

    def ready(self, rows: int) -> bool:
        """Whether :meth:`take` would not wait on the input: a stream is read ahead only as
        far as its bytes have come, so converted rows never wait for the next block."""
        self._fill(rows, wait=False)
        return self.eof or self.lines >= rows or len(self.pending) >= self.size

    def header(self, limit: int) -> str | None:
        """The first line, when it is one row the native engine may take (no quote but in
        simply quoted fields, no carriage return but its ending, at most ``limit``
        characters); else None."""
        self._fill(1)
        skip = len(_BOM) if self.pending.startswith(_BOM) else 0
        end = self.pending.find(b"\n", skip) + 1
        line = self.pending[skip:end]
        if not end or b"\r" in line[:-2]:
            return None
        quoted = b'"' in line
        if quoted and (self.quotes is None or simply_quoted(line, 0, self.quotes) < len(line)):
            return None
        text = line.decode("utf-8", "surrogateescape")
        if len(text) > limit:
            return None
        self.pending = self.pending[end:]
        self.lines -= 1
        return text

    def take(self, rows: int) -> tuple[bytes, int] | None:
        """The next whole lines, at most ``rows`` of them and :attr:`size` bytes, taken from
        the front, with how many they are; ``(b"", 0)`` at the end; None (nothing taken) when
        the next line is longer than that or is the last without a line break."""
        self._fill(rows)
        pending = self.pending
        cut = pending.rfind(b"\n", 0, self.size) + 1
        if not cut:
            return None if pending else (b"", 0)
        lines = self.lines if cut == len(pending) else _newlines(pending, cut)
        while lines > rows:  # back to the line break about ``rows`` lines in
            cut = pending.rfind(b"\n", 0, cut * rows // lines) + 1 or pending.find(b"\n") + 1
            lines = _newlines(pending, cut)
        self.pending = pending[cut:]
        self.lines -= lines
        return pending[:cut], lines

    def unread(self, data: bytes, lines: int | None = None) -> None:
        """Put ``data``, taken before, back at the front (``lines``: its line breaks, when
        known)."""
        if data:
            self.pending = data + self.pending
            self.lines += _newlines(data) if lines is None else lines

    def rest(self, encoding: str, *, start: bool = False) -> IO[str]:
        """The bytes not yet taken and the rest of the input, as text (``start``: from the
        beginning, where a byte-order mark is skipped)."""
        name = "utf-8-sig" if start and codecs.lookup(encoding).name == "utf-8" else encoding
        joined = io.BufferedReader(_Joined(self.pending, self.raw))
        self.pending = b""
        return io.TextIOWrapper(joined, encoding=name, errors="surrogateescape", newline="")

    def run(self, job: Job, segment: Segment, rest: Rest) -> None:
        """Convert and write every row after the header, the header being line 1.

        With a second core, the clean blocks ahead are converted on :class:`Workers`'
        threads while the one before is written, in order. A block that does not convert
        whole puts the blocks after it back, and it goes as on one thread (:func:`_step`);
        no block is taken behind one that is not clean (it surely goes that way).
        """
        from . import batch_native  # noqa: PLC0415 - polars, the optional [fast] extra

        first, ahead, more = 1, collections.deque[_Ahead](), True
        with Workers() as pool:
            while True:
                while more and len(ahead) <= pool.depth:
                    if ahead and (ahead[-1][2] is None or not self.ready(job.chunk_rows)):
                        break
                    taken = self.take(job.chunk_rows)
                    if taken is None or not taken[0]:  # a line too long, or the end
                        more = False
                        break
                    block, lines = taken
                    clean = clean_until(block, self._quotes(job)) == len(block)
                    work = pool.submit(batch_native.prepare, block, job, lines) if clean else None
                    ahead.append((block, lines, work))
                if not ahead:
                    break
                block, _lines, work = ahead.popleft()
                done = None if work is None else work.result()
                if isinstance(done, batch_native.Converted) and done.size == len(block):
                    batch_native.write(done, first, job)
                    first += done.rows
                    continue
                self._put_back(ahead)
                more = True
                size, lines, open_field = _step(block, first, job, segment, done, self._quotes(job))
                first += lines
                if open_field:  # a quoted field open past the block: the plain path reads on
                    self.unread(block[size:])
                    break
        if self.pending:
            rest(self.rest("utf-8"), first, job)

    def _quotes(self, job: Job) -> str | None:
        """The delimiter when this run's blocks may hold simply quoted fields: not in a file
        of one column (where the csv module writes an empty field as ``""``)."""
        return self.quotes if job.width > 1 else None

    def _put_back(self, ahead: collections.deque[_Ahead]) -> None:
        """Give the blocks ``ahead`` back, their work dropped."""
        for block, lines, work in reversed(ahead):
            if work is not None:
                work.cancel()
            self.unread(block, lines)
        ahead.clear()


#: A block taken ahead: its bytes, its line breaks, its work (None: not clean, not begun).
_Ahead = tuple[bytes, int, "Work | None"]


def _step(
    block: bytes,
    first: int,
    job: Job,
    segment: Segment,
    tried: object = None,
    quotes: str | None = None,
) -> tuple[int, int, bool]:
    """Convert ``block``: by the native engine up to each line it cannot read, then by the
    plain path up to the next run of lines long enough for the native engine
    (:func:`.batch_lines.plain_part`; when a quoted field is still open there, about
    :data:`WINDOW` bytes further, then the rest of the block), and so on to its end.

    The bytes and lines done, and True when the plain path must read the rest of the input
    from there (a quoted field open past the block). ``tried``: what
    :func:`.batch_native.prepare` gave for the whole block, if it was asked; ``quotes``: as
    for :func:`.batch_lines.clean_until`. The block is walked by position, never copied
    whole again, so a file with a line the native engine cannot read every few thousand rows
    costs in proportion to its length.
    """
    from . import batch_native  # noqa: PLC0415 - polars, the optional [fast] extra

    at, lines = 0, 0
    while at < len(block):
        clean = clean_until(block, quotes, at)
        if clean > at:  # the native engine takes the lines before the first it cannot read
            done = tried if tried is not None else batch_native.prepare(block[at:clean], job)
            if isinstance(done, int) and done:
                done = batch_native.prepare(block[at : at + done], job)
            if isinstance(done, batch_native.Converted):
                batch_native.write(done, first + lines, job)
                at, lines, tried = at + done.size, lines + done.rows, None
                continue
        tried = None
        end = plain_part(block, at, quotes, WINDOW)
        wide = block.find(b"\n", at + WINDOW) + 1 or len(block)
        for stop in sorted({end, max(end, wide), len(block)}):
            text = block[at:stop].decode("utf-8", "surrogateescape")
            count = segment(text, first + lines, job)
            if count is not None:
                at, lines = stop, lines + count
                break
        else:
            return at, lines, True
    return at, lines, False


class _Joined(io.RawIOBase):
    """Bytes already read, then the rest of ``raw``: the input for the plain path."""

    def __init__(self, prefix: bytes, raw: Any) -> None:
        super().__init__()
        self.prefix = memoryview(prefix)
        self.raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.prefix:
            count = min(len(buffer), len(self.prefix))
            buffer[:count] = self.prefix[:count]
            self.prefix = self.prefix[count:]
            return count
        data = self.raw.read1(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def fileno(self) -> int:
        return int(self.raw.fileno())

    def tell(self) -> int:
        return int(self.raw.tell()) - len(self.prefix)

    def close(self) -> None:  # the input is closed by whoever opened it
        self.prefix = memoryview(b"")
        super().close()
