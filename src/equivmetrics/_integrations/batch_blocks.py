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
:data:`.batch_plan.WINDOW` bytes at a time. A quoted field still open at the end of that
text is read again with the whole block, and if it is open even then, the plain path reads
the rest of the input. Both paths write the same bytes, so where a line went never shows in
the files. How a block is cut and converted is :mod:`.batch_plan`'s work, done on the
workers' threads; this module reads the blocks and writes them in order.
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

from . import batch_native
from .batch_files import UsageError
from .batch_lines import clean_until, simply_quoted
from .batch_plan import Segment, plan, walk
from .batch_rows import Job
from .batch_workers import Work, Workers

__all__ = ["Blocks", "native_blocks"]
#: ``auto`` leaves a regular file smaller than this to the plain path (polars takes a tenth
#: of a second to import).
NATIVE_FROM = 1024 * 1024
#: The largest piece read from the input at once.
_PIECE = 1024 * 1024
_BOM = codecs.BOM_UTF8
_NEWLINE = ord("\n")
#: From this many bytes on, line breaks are counted by numpy.
_COUNT_BY_NUMPY = 4096

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

        With a second core, the blocks ahead are converted (or, holding a line the native
        engine cannot read, cut and their clean runs converted: :func:`.batch_plan.plan`) on
        :class:`Workers`' threads while the one before is written, in order
        (:func:`.batch_plan.walk` for a block the native engine did not take whole). This
        thread looks for such lines first, while the workers convert, so a clean block costs
        the workers no more than its conversion. Only a block that ends inside a quoted
        field puts the blocks after it back: the plain path reads on from there.
        """
        first, ahead, more = 1, collections.deque[_Ahead](), True
        with Workers() as pool:
            while True:
                while more and len(ahead) <= pool.depth:
                    if ahead and not self.ready(job.chunk_rows):
                        break
                    taken = self.take(job.chunk_rows)
                    if taken is None or not taken[0]:  # a line too long, or the end
                        more = False
                        break
                    block, lines = taken
                    clean = clean_until(block, self._quotes(job))
                    work = pool.submit(plan, block, job, lines, self._quotes(job), clean)
                    ahead.append((block, lines, work))
                if not ahead:
                    break
                block, _lines, work = ahead.popleft()
                done = work.result()
                if not isinstance(done, list):  # converted whole
                    batch_native.write(done, first, job)
                    first += done.rows
                    continue
                size, lines, open_field = walk(block, first, job, segment, done, self._quotes(job))
                first += lines
                if open_field:  # a quoted field open past the block: the plain path reads on
                    self._put_back(ahead)
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
            work.cancel()
            self.unread(block, lines)
        ahead.clear()


#: A block taken ahead: its bytes, its line breaks, its plan under way.
_Ahead = tuple[bytes, int, Work]


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
