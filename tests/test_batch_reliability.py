"""Batch runs are all or nothing: signals, full disks, odd destinations and huge lines.

A run writes the output and the rejects file under temporary names and moves both into place
together at the end; whatever stops it before (SIGINT, SIGTERM, SIGHUP, a full disk at any
write, a folder in the way), the earlier pair of files is left exactly as it was and no
temporary file remains.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics._integrations import batch as _batch
from equivmetrics._integrations import batch_native, batch_output
from equivmetrics._integrations.batch import run_batch
from equivmetrics._integrations.batch_output import Interrupted, interruptible
from equivmetrics._integrations.cli import main

pytestmark = pytest.mark.usefixtures("csv_engine")

ARGV = ["--column", "kwh", "--unit", "kWh", "--to", "co2e"]
EARLIER = {"out.csv": "earlier output\n", "out.csv.rejects.csv": "earlier rejects\n"}
#: AVERT 2019: 1,562.4 lb CO2 per MWh avoided, 0.45359237 kg per lb: t CO2e per kWh.
T_PER_KWH = 1562.4 * 0.45359237 / 1e6


def _earlier(folder: Path) -> None:
    for name, text in EARLIER.items():
        (folder / name).write_text(text, encoding="utf-8")


def _assert_earlier(folder: Path, *others: str) -> None:
    assert sorted(p.name for p in folder.iterdir()) == sorted([*EARLIER, *others])
    for name, text in EARLIER.items():
        assert (folder / name).read_text(encoding="utf-8") == text


def _parts(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.endswith(".part")]


# -- real signals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 128 + 15), (signal.SIGHUP, 128 + 1)],
    ids=["SIGINT", "SIGTERM", "SIGHUP"],
)
@pytest.mark.parametrize("moment", ["first temporary file", "both files, rows written"])
def test_a_signal_leaves_the_earlier_pair_and_no_temporary_file(
    tmp_path: Path, number: int, code: int, moment: str
) -> None:
    """A real process reading standard input gets a real signal. Before, SIGTERM and SIGHUP
    killed it with its temporary files left behind, and a SIGINT arriving while a temporary
    file was being made left that file."""
    _earlier(tmp_path)
    out = tmp_path / "out.csv"
    with subprocess.Popen(
        [sys.executable, "-m", "equivmetrics", "batch", "-", *ARGV, "-o", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdin is not None
        process.stdin.write("kwh\n" + "1\n" * 70_000)  # a chunk of 65,536 rows is written
        process.stdin.flush()
        wanted = 1 if moment == "first temporary file" else 2
        deadline = time.monotonic() + 120  # a hang fails instead of blocking the suite
        while len(_parts(tmp_path)) < wanted:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.002)
        if wanted == 2:
            while all(p.stat().st_size == 0 for p in _parts(tmp_path)):
                assert time.monotonic() < deadline, "nothing was written"
                time.sleep(0.01)
        process.send_signal(number)
        assert process.wait(timeout=120) == code
        _out, err = process.communicate(timeout=60)
    assert "equivmetrics: " in err
    _assert_earlier(tmp_path)


# -- a full disk, wherever it strikes -----------------------------------------------------------


class _FullDisk(io.RawIOBase):
    """A file that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, fd: int, room: int) -> None:
        self.fd = fd
        self.room = room

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        if len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return os.write(self.fd, data)

    def fileno(self) -> int:
        return self.fd

    def close(self) -> None:
        if not self.closed:
            os.close(self.fd)
        super().close()


def _disk_with_room(room: int, which: str) -> Any:
    """``open`` for batch_output whose files for ``which`` ('out.csv', 'rejects') fill up."""

    def fake(file: Any, mode: str = "r", **options: Any) -> Any:
        target = _opened.pop(0)
        if isinstance(file, int) and target == which:
            raw = io.BufferedWriter(_FullDisk(file, room), buffer_size=8192)
            return io.TextIOWrapper(raw, **options)
        return open(file, mode, **options)

    return fake


_opened: list[str] = []


def _source(folder: Path, rows: int) -> Path:
    source = folder / "in.csv"
    source.write_text("kwh\n" + "".join(f"{i % 7 - 1}\n" for i in range(rows)), encoding="utf-8")
    return source


@pytest.mark.parametrize("which", [".out.csv.", ".out.csv.rejects.csv."], ids=["out", "rejects"])
@pytest.mark.parametrize("room", [0, 50, 20_000, 10**9], ids=["header", "50B", "20kB", "end"])
def test_a_full_disk_leaves_the_earlier_pair_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, which: str, room: int
) -> None:
    _earlier(tmp_path)
    source = _source(tmp_path, 30_000)  # one row in seven negative: rejects are written too
    real_mkstemp = batch_output.tempfile.mkstemp

    def mkstemp(**options: Any) -> Any:
        _opened.append(options["prefix"])
        return real_mkstemp(**options)

    monkeypatch.setattr(batch_output.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(batch_output, "open", _disk_with_room(room, which), raising=False)
    if room == 10**9:  # room enough to write: the disk fills when the file is made durable

        def fsync(fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(batch_output.os, "fsync", fsync)
    _opened.clear()
    out = tmp_path / "out.csv"
    assert main(["batch", str(source), *ARGV, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err
    assert f"{str(out)!r} and {str(out) + '.rejects.csv'!r} are as before the run" in err
    _assert_earlier(tmp_path, "in.csv")


def test_a_move_that_fails_puts_back_the_one_already_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """The pair is moved one file after the other; if the second move fails, the first is
    undone. Before, a new rejects file stayed next to the old output."""
    _earlier(tmp_path)
    source = _source(tmp_path, 20)
    real_replace = os.replace
    moves: list[str] = []

    def replace(src: Any, dst: Any) -> None:
        if str(src).endswith(".part"):
            moves.append(str(dst))
            if len(moves) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)

    monkeypatch.setattr(batch_output.os, "replace", replace)
    out = tmp_path / "out.csv"
    assert main(["batch", str(source), *ARGV, "-o", str(out)]) == 1
    assert len(moves) == 2
    assert "No space left on device" in capsys.readouterr().err
    _assert_earlier(tmp_path, "in.csv")
    # without an earlier pair, nothing is left either
    for name in EARLIER:
        (tmp_path / name).unlink()
    moves.clear()
    assert main(["batch", str(source), *ARGV, "-o", str(out)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_streaming_into_a_full_device_keeps_the_earlier_rejects(tmp_path: Path) -> None:
    """``-o /dev/full`` (through a link of the test's own, so that no run could replace the
    system's node): written into (streaming), fails as a full disk; the rejects file, which
    would have been moved into place, is left as it was."""
    if not stat.S_ISCHR(os.stat("/dev/full").st_mode):  # pragma: no cover - Linux has it
        pytest.skip("no /dev/full")
    device = tmp_path / "full"
    device.symlink_to("/dev/full")
    rejects = tmp_path / "r.csv"
    rejects.write_text("earlier rejects\n", encoding="utf-8")
    source = _source(tmp_path, 100_000)
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", "batch", str(source), *ARGV,
         "-o", str(device), "--rejects", str(rejects)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "No space left on device" in done.stderr
    assert f"{str(rejects)!r} is as before the run" in done.stderr
    assert rejects.read_text(encoding="utf-8") == "earlier rejects\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full", "in.csv", "r.csv"]
    assert device.is_symlink()
    assert stat.S_ISCHR(os.stat(device).st_mode)


# -- destinations that are not files ------------------------------------------------------------


def test_a_fifo_is_written_into_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    source = tmp_path / "in.csv"
    source.write_text("kwh\n1000\n2000\n", encoding="utf-8")
    read: list[str] = []
    reader = threading.Thread(
        target=lambda: read.append(fifo.read_text(encoding="utf-8")), daemon=True
    )
    reader.start()
    summary = run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", "t")],
                        output=str(fifo))  # fmt: skip
    reader.join(timeout=120)
    assert not reader.is_alive()
    assert summary.rejected == 0
    lines = read[0].splitlines()
    assert lines[0] == "kwh,co2e [t]"
    # 1,000 kWh x 1,562.4 lb/MWh = 1,562.4 lb = 0.70869 t; 2,000 kWh: twice that
    assert [float(line.split(",")[1]) for line in lines[1:]] == pytest.approx(
        [1000 * T_PER_KWH, 2000 * T_PER_KWH], rel=1e-12
    )
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO
    assert (tmp_path / "out.fifo.rejects.csv").read_text(encoding="utf-8") == "line,reason,kwh\n"
    assert _parts(tmp_path) == []


def test_a_character_device_is_written_into(tmp_path: Path, capsys: Any) -> None:
    """``-o`` naming /dev/null (here through a link of the test's own, so that no run could
    replace the system's node) writes into the device: before, the run replaced the node with
    a regular file."""
    device = tmp_path / "null"
    device.symlink_to(os.devnull)
    source = tmp_path / "in.csv"
    source.write_text("kwh\n1\n", encoding="utf-8")
    rejects = tmp_path / "r.csv"
    argv = ["batch", str(source), *ARGV, "-o", str(device), "--rejects", str(rejects)]
    assert main(argv) == 0
    assert "1 rows: 1 converted, 0 rejected" in capsys.readouterr().out
    assert device.is_symlink()
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert rejects.read_text(encoding="utf-8") == "line,reason,kwh\n"
    assert _parts(tmp_path) == []


def test_a_folder_as_output_fails_before_the_rejects_file_is_moved(
    tmp_path: Path, capsys: Any
) -> None:
    _earlier(tmp_path)
    (tmp_path / "out.csv").unlink()
    (tmp_path / "out.csv").mkdir()
    source = _source(tmp_path, 5)
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(source), *ARGV, "-o", str(tmp_path / "out.csv")])
    assert exit_.value.code == 2
    assert "it is a folder; name a file" in capsys.readouterr().err
    assert (tmp_path / "out.csv.rejects.csv").read_text(encoding="utf-8") == "earlier rejects\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "in.csv",
        "out.csv",
        "out.csv.rejects.csv",
    ]


def test_a_folder_that_appears_during_the_run_moves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, csv_engine: str
) -> None:
    _earlier(tmp_path)
    (tmp_path / "out.csv").unlink()
    source = _source(tmp_path, 5)
    module, name = (_batch, "_convert_chunk") if csv_engine == "plain" else (batch_native, "write")
    real = getattr(module, name)

    def then_a_folder(*args: Any) -> Any:
        (tmp_path / "out.csv").mkdir()
        return real(*args)

    monkeypatch.setattr(module, name, then_a_folder)
    with pytest.raises(IsADirectoryError, match=r"out\.csv' is a folder; nothing was moved") as e:
        run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                  output=str(tmp_path / "out.csv"))  # fmt: skip
    assert str(e.value).endswith("out.csv.rejects.csv' are as before the run")
    assert (tmp_path / "out.csv.rejects.csv").read_text(encoding="utf-8") == "earlier rejects\n"
    assert _parts(tmp_path) == []


# -- memory follows the chunk, not the line -----------------------------------------------------


def test_a_line_over_the_limit_is_refused_with_its_number(tmp_path: Path, capsys: Any) -> None:
    _earlier(tmp_path)
    source = tmp_path / "in.csv"
    long_line = "1," * 600_000  # 1,200,000 characters: over the default 1,048,576
    source.write_text(f"kwh\n1\n{long_line}\n2\n", encoding="utf-8")
    argv = ["batch", str(source), *ARGV, "-o", str(tmp_path / "out.csv")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "line 3 is longer than 1,048,576 characters; the run stopped there" in err
    assert "output files are left as they were, and a stream (-o -, a FIFO) holds" in err
    assert "--max-line" in err
    _assert_earlier(tmp_path, "in.csv")
    # a higher limit reads it: a row of 600,001 fields against a header of one, a reject
    assert main([*argv, "--max-line", "2000000"]) == 1
    rejects = (tmp_path / "out.csv.rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1].startswith('3,"row has 600001 fields, the header has 1"')


@pytest.mark.parametrize("limit", [0, 1, -5, "9"])
def test_the_line_limit_must_be_a_number_of_characters(tmp_path: Path, limit: Any) -> None:
    source = _source(tmp_path, 1)
    with pytest.raises(em.InputValueError, match=r"--max-line .* at least 2"):
        run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                  output=str(tmp_path / "o.csv"), max_line=limit)  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_the_limit_counts_the_line_ending(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\r\n12345\r\n", encoding="utf-8")  # line 2: 7 characters with CRLF
    kwargs: dict[str, Any] = {"column": "kwh", "unit": "kWh", "to": [("co2e", None)]}
    out = str(tmp_path / "o.csv")
    assert run_batch(em.load(), str(source), output=out, max_line=7, **kwargs).converted == 1
    with pytest.raises(em.InputValueError, match="line 2 is longer than 6 characters"):
        run_batch(em.load(), str(source), output=out, max_line=6, **kwargs)


def test_one_huge_line_takes_memory_of_the_limit_not_of_the_line(tmp_path: Path) -> None:
    """A 20 MB line of two-character fields: before, the run split all of it into 10 million
    fields (several hundred MB) before anything checked it."""
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("kwh\n")
        for _ in range(200):
            handle.write("1," * 50_000)  # 200 x 100,000 = 20,000,000 characters, one line
        handle.write("\n")
    tracemalloc.start()
    try:
        with pytest.raises(em.InputValueError, match="line 2 is longer than"):
            run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                      output=str(tmp_path / "o.csv"))  # fmt: skip
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the line read up to the limit: 1 MiB of text (up to 4 bytes a character) and its copies
    assert peak < 16 * 2**20


def test_a_chunk_ends_at_its_size_in_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh,note\n" + "".join(f"{i},{'x' * 95}\n" for i in range(100)), "utf-8")
    sizes: list[int] = []
    real = _batch._convert_chunk

    def record(rows: list[list[str]], *args: Any) -> int:
        sizes.append(len(rows))
        return real(rows, *args)

    monkeypatch.setattr(_batch, "_convert_chunk", record)
    monkeypatch.setattr(_batch, "CHUNK_CHARS", 1000)  # each line is 97 to 99 characters
    summary = run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                        output=str(tmp_path / "o.csv"), csv_engine="plain")  # fmt: skip
    assert summary.converted == 100
    assert sizes == [11] * 9 + [1]  # 11 lines first reach 1,000 characters


@pytest.mark.parametrize(
    ("number", "stopped"), [(signal.SIGTERM, Interrupted), (signal.SIGINT, KeyboardInterrupt)]
)
def test_a_signal_another_library_turns_into_its_own_error_still_stops_the_run(
    number: int, stopped: type[BaseException]
) -> None:
    """polars, reading a file's schema when the signal arrives, reports a TypeError instead."""

    def polars_like() -> None:
        try:
            os.kill(os.getpid(), number)
            time.sleep(5)  # the handler raises here
        except (Interrupted, KeyboardInterrupt):
            raise TypeError("'<unprintable str object>' is not a Polars data type") from None

    with pytest.raises(stopped) as caught, interruptible():
        polars_like()
    assert isinstance(caught.value.__cause__, TypeError)
    if isinstance(caught.value, Interrupted):
        assert caught.value.exit_code == 128 + number


def test_an_error_without_a_signal_is_left_as_it_is() -> None:
    with pytest.raises(TypeError, match="a real error"), interruptible():
        raise TypeError("a real error")
