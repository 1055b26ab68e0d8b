"""How one block of a batch input is converted: cut into the runs of lines the native engine
reads (converted at once, by polars) and the parts the plain path reads.

:func:`plan` does everything that reads the block and changes nothing — finding the lines the
native engine must not read (:func:`.batch_lines.clean_until`, whose check of quoted fields is
the larger part of the work on an input that quotes its fields) and converting the runs
between them — so it runs on a worker thread (:mod:`.batch_workers`), for several blocks at
once. :func:`walk` then writes the block in order on the calling thread: the planned runs, and
the plain path's parts between them (:func:`.batch._segment`, which writes as it reads). A
plain part that ends inside a quoted field is read further, and the block's later pieces are
worked out again from there; each piece depends only on the bytes from its start, so a planned
piece starting where the walk arrives is still right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from . import batch_native
from .batch_lines import clean_until, plain_part
from .batch_rows import Job

__all__ = ["WINDOW", "Piece", "Segment", "plan", "walk"]

#: How many bytes, about, the plain path reads after a line the native engine cannot take.
WINDOW = 64 * 1024

Segment = Callable[[str, int, Job], "int | None"]


class Piece(NamedTuple):
    """``block[start:stop]``: converted by the native engine (``done``), or (``done`` None)
    the plain path's to read."""

    start: int
    stop: int
    done: batch_native.Converted | None


def plan(
    block: bytes, job: Job, lines: int, quotes: str | None, clean: int
) -> batch_native.Converted | list[Piece]:
    """``block`` converted whole by the native engine, or cut into pieces (the plain path's
    parts not read yet). It reads ``job`` and changes nothing: any thread may run it.
    ``quotes``: as for :func:`.batch_lines.clean_until`; ``clean``: what that gave for the
    whole block (the caller looked, to keep that check off the workers when it passes: it is
    most of the work on an input that quotes every field)."""
    tried = None
    if clean == len(block):
        tried = batch_native.prepare(block, job, lines)
        if isinstance(tried, batch_native.Converted) and tried.size == len(block):
            return tried
    pieces: list[Piece] = []
    while not pieces or pieces[-1].stop < len(block):
        at = pieces[-1].stop if pieces else 0
        pieces.append(piece_at(block, at, job, quotes, tried, None if pieces else clean))
        tried = None
    return pieces


def piece_at(
    block: bytes,
    at: int,
    job: Job,
    quotes: str | None,
    tried: batch_native.Converted | int | None = None,
    clean: int | None = None,
) -> Piece:
    """The piece of ``block`` from ``at`` (a line's start): the lines the native engine reads
    from there, converted; else the plain path's part (:func:`.batch_lines.plain_part`: up to
    the next run of such lines long enough to be worth polars' pass). ``tried``: what
    :func:`.batch_native.prepare` gave for the block from ``at``, if it was asked; ``clean``:
    what :func:`.batch_lines.clean_until` gave from ``at``, if it was asked."""
    if clean is None:
        clean = clean_until(block, quotes, at)
    if clean > at:
        done = tried if tried is not None else batch_native.prepare(block[at:clean], job)
        if isinstance(done, int) and done:  # polars read the lines before that one
            done = batch_native.prepare(block[at : at + done], job)
        if isinstance(done, batch_native.Converted):
            return Piece(at, at + done.size, done)
    return Piece(at, plain_part(block, at, quotes, WINDOW), None)


def walk(
    block: bytes,
    first: int,
    job: Job,
    segment: Segment,
    planned: Sequence[Piece],
    quotes: str | None,
) -> tuple[int, int, bool]:
    """Write ``block``'s rows, the first of them line ``first + 1``, piece by piece: the
    ``planned`` ones where the walk arrives at their start, others worked out on the way.

    The bytes and lines done, and True when the plain path must read the rest of the input
    from there (a quoted field open past the block). The block is walked by position, never
    copied whole again, so a file with a line the native engine cannot read every few
    thousand rows costs in proportion to its length.
    """
    known = {piece.start: piece for piece in planned}
    at, lines = 0, 0
    while at < len(block):
        piece = known.get(at) or piece_at(block, at, job, quotes)
        if piece.done is not None:
            batch_native.write(piece.done, first + lines, job)
            at, lines = piece.stop, lines + piece.done.rows
            continue
        wide = block.find(b"\n", at + WINDOW) + 1 or len(block)
        for stop in sorted({piece.stop, max(piece.stop, wide), len(block)}):
            text = block[at:stop].decode("utf-8", "surrogateescape")
            count = segment(text, first + lines, job)
            if count is not None:
                at, lines = stop, lines + count
                break
        else:
            return at, lines, True
    return at, lines, False
