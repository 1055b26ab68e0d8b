"""The two files a batch run writes, committed together or not at all.

A run writes its output and its rejects file each under a temporary name next to its final one
(``.out.csv.<random>.part``) and, only when every row has been written and flushed to disk, moves
both into place as a pair (:class:`Outputs`): an interruption, a signal or a full disk at any
moment before leaves the earlier pair as it was and removes the temporary files. A destination
that is a FIFO or a character device (``/dev/null``, a terminal) is written into directly
(streaming: nothing to move, and the node is never replaced); ``-`` is standard output.

Signals: the moments when a temporary file exists but is not yet known (creating it) and when
the pair is moved are run with SIGINT, SIGTERM and SIGHUP held back (:func:`held_signals`), so
a signal arrives before or after them, never in between. :func:`interruptible` turns SIGTERM
and SIGHUP into :class:`Interrupted` (and SIGINT into ``KeyboardInterrupt``) for the time of a
run, so the temporary files are removed on those signals too.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .batch_files import UsageError

__all__ = ["SIGNALS", "Interrupted", "Outputs", "held_signals", "interruptible"]

#: The signals that stop a run: held back while files are created and moved.
SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(BaseException):
    """A run ended by SIGTERM or SIGHUP; ``exit_code`` is 128 + the signal's number."""

    def __init__(self, number: int) -> None:
        super().__init__(f"stopped by signal {signal.Signals(number).name}")
        self.exit_code = 128 + number


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP back (in this thread) until the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


#: The signal that stopped the run in :func:`interruptible`, once one has arrived.
_received: list[int] = []


def _stopped(number: int) -> BaseException:
    return KeyboardInterrupt() if number == signal.SIGINT else Interrupted(number)


def _raise_for(number: int, _frame: object) -> None:
    _received.append(number)
    raise _stopped(number)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While the block runs, SIGINT raises ``KeyboardInterrupt`` and SIGTERM and SIGHUP raise
    :class:`Interrupted` (in the main thread; a signal the process ignores stays ignored).

    A library the run calls into may catch that exception and raise its own (polars, reading
    a file's schema, reports a ``TypeError``): once a signal has arrived, any error leaving the
    block is the signal's, so the run still exits with 128 + its number.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}
    for number in SIGNALS:
        if signal.getsignal(number) != signal.SIG_IGN:
            previous[number] = signal.signal(number, _raise_for)
    _received.clear()
    try:
        yield
    except Exception as exc:
        if _received:  # the signal, turned into another error on its way out
            raise _stopped(_received[0]) from exc
        raise
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _streams(path: str) -> bool:
    """Whether ``path`` is a FIFO or a character device: written into, never replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


class _File:
    """One destination: a temporary file moved into place later, or a stream written now."""

    def __init__(self, path: str, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self.temp: str | None = None
        self.file: io.TextIOWrapper | None = None

    def open(self) -> io.TextIOWrapper:
        """Open for writing (a FIFO: once a reader opens it); a temporary file is known from
        the moment it exists."""
        options: dict[str, Any] = {
            "encoding": self.encoding,
            "errors": "surrogateescape",
            "newline": "",
        }
        if self.path == "-":
            self.file = io.TextIOWrapper(sys.stdout.buffer, write_through=True, **options)
        elif _streams(self.path):
            self.file = open(self.path, "w", **options)  # noqa: SIM115 - closed by Outputs
        else:
            final = Path(self.path)
            with held_signals():
                handle, self.temp = tempfile.mkstemp(
                    dir=final.parent, prefix=f".{final.name}.", suffix=".part"
                )
                self.file = open(handle, "w", **options)  # noqa: SIM115 - closed by Outputs
        return self.file

    def finish(self) -> None:
        """Write everything out (to disk, for a temporary file); a full disk raises here."""
        if self.file is None:
            return
        self.file.flush()
        if self.path == "-":
            self.file.detach()  # leave standard output open
            self.file = None
            return
        if self.temp is not None:
            os.fsync(self.file.fileno())
        self.file.close()
        self.file = None

    def discard(self) -> None:
        """Close without caring about errors; remove the temporary file."""
        if self.file is not None:
            with contextlib.suppress(OSError, ValueError):
                if self.path == "-":
                    self.file.detach()
                else:
                    self.file.close()
            self.file = None
        if self.temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = None


class Outputs:
    """The output and the rejects file of one run: both moved into place, or neither.

    Entering opens both (a usage error, before anything is written, for a folder or a place
    that cannot be written); leaving without an error writes them out and moves them into
    place; leaving with one, or failing to write them out, removes the temporary files and
    leaves the earlier files untouched.
    """

    def __init__(self, output: str, rejects: str, encoding: str) -> None:
        self.files = (_File(output, encoding), _File(rejects, encoding))

    def __enter__(self) -> tuple[io.TextIOWrapper, io.TextIOWrapper]:
        for item in self.files:
            if item.path != "-" and os.path.isdir(item.path):
                path = item.path
                raise UsageError(f"cannot write {path!r}: it is a folder; name a file", value=path)
        try:
            out, bad = (item.open() for item in self.files)
        except OSError as exc:
            self._discard()
            path = exc.filename if isinstance(exc.filename, str) else self.files[0].path
            raise UsageError(f"cannot write {path!r}: {exc.strerror or exc}", value=path) from None
        except BaseException:
            self._discard()
            raise
        return out, bad

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is not None:
                raise error if isinstance(error, BaseException) else RuntimeError(error)
            for item in self.files:
                item.finish()
            with held_signals():
                _commit([(item.temp, item.path) for item in self.files if item.temp is not None])
                for item in self.files:
                    item.temp = None
        except OSError as exc:  # a full disk, a folder in the way, ...: say the pair is as it was
            said = self._untouched()
            self._discard()
            if not said or not isinstance(exc.errno, int):
                raise
            raise type(exc)(exc.errno, f"{exc.strerror or exc}; {said}") from None
        except BaseException:
            self._discard()
            raise

    def _discard(self) -> None:
        with held_signals():
            for item in self.files:
                item.discard()

    def _untouched(self) -> str:
        names = [repr(f.path) for f in self.files if f.temp is not None]
        if not names:
            return ""
        verb = "is" if len(names) == 1 else "are"
        return f"nothing was moved into place: {' and '.join(names)} {verb} as before the run"


def _commit(moves: list[tuple[str, str]]) -> None:
    """Move each temporary file onto its path; if one move fails, put back those made."""
    done: list[tuple[str, str | None]] = []
    try:
        for temp, path in moves:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, f"{path!r} is a folder", path)
            os.chmod(temp, _mode(path))
            done.append((path, _keep(path)))
            os.replace(temp, path)
    except BaseException:
        for path, kept in reversed(done):
            with contextlib.suppress(OSError):
                if kept is not None:
                    os.replace(kept, path)
                elif os.path.exists(path):
                    os.unlink(path)
        raise
    finally:
        for _path, kept in done:
            if kept is not None:
                with contextlib.suppress(OSError):
                    os.unlink(kept)


def _keep(path: str) -> str | None:
    """A second name (a hard link) for the file at ``path``, to put it back; None if none."""
    if not os.path.exists(path):
        return None
    final = Path(path)
    kept = f"{final.parent}/.{final.name}.{os.getpid()}.old"
    with contextlib.suppress(OSError):
        os.unlink(kept)
    try:
        os.link(path, kept)
    except OSError:  # a file system without hard links: a copy (it may not fit: nothing moved)
        shutil.copy2(path, kept)
    return kept


def _mode(path: str) -> int:
    """The permissions a new file gets here: those of the file it replaces, or per the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask
