"""The native CSV engine of ``equivmetrics batch`` writes what the plain path writes, byte for byte.

Generated inputs mix clean rows and simply quoted fields (which the native engine converts in
bulk) with everything it must hand to the plain path: quotes it might read otherwise, fields
spanning lines, carriage returns, NULs, blank lines, ragged rows, bytes that are not UTF-8,
lines over the limit. Both runs must give the same output
and rejects files, the same summary, or the same error.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from batch_helpers import native_calls
from equivmetrics._integrations import batch as _batch
from equivmetrics._integrations import (
    batch_blocks,
    batch_lines,
    batch_native,
    batch_plan,
    batch_workers,
)
from equivmetrics._integrations.batch import run_batch
from equivmetrics._integrations.cli import main
from strategies import FUZZ

pytestmark = pytest.mark.skipif(not batch_native.available(), reason="needs the [fast] extra")

SHARED = em.load()
_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
numbers = st.one_of(
    _FLOATS.map(repr),
    st.integers(-(10**25), 10**25).map(str),
    _FLOATS.map(lambda x: f"{x:.6e}"),
    _FLOATS.map(lambda x: f"{x:f}"[:30]),
    st.floats(1e-30, 1e-3).map(repr),  # products below 1e-4: Python's exponent
    st.sampled_from(["+5", "5.", ".5", "-0", "-0.0", "1E+05", "007", "1e999", "-1e999", "1e-999"]),
)
cells = st.one_of(
    numbers,
    st.tuples(st.sampled_from([" ", "\t", "\u2003", "\xa0"]), numbers).map("".join),
    st.sampled_from(["", " ", "nan", "NaN", "inf", "-Infinity", "n/a", "1_000", "١٢", "1,5"]),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=6),
)
texts = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters='"\r\n\0'), max_size=8
)
odd_lines = st.sampled_from(
    [
        '"quoted",1',
        '"two\nlines",2',
        'a"b,3',
        '"open',
        "\r",
        "x\ry,1",
        "\0,1",
        "",
        "a,b,c,d,e",
        "\ufeffz,1",
    ]
)


#: Quotes the native engine leaves to the plain path: inside an unquoted field, text after a
#: closing quote, a space before an opening one, a field left open, one quote too many.
odd_quotes = st.sampled_from(['"ab"c', 'a"b', ' "a"', '"a" ', '"open', '""x', '"a""', 'x""', '"'])


def _quote(text: str) -> str:
    """``text`` as a quoted CSV field (a quote doubled)."""
    return '"' + text.replace('"', '""') + '"'


def _field(draw: Any, delimiter: str, plain: st.SearchStrategy[str]) -> str:
    """A field: mostly ``plain``, sometimes simply quoted (the delimiter and quotes inside),
    sometimes quoted oddly."""
    kind = draw(st.sampled_from(["plain"] * 5 + ["quoted", "quoted plain", "odd"]))
    if kind == "quoted":
        alphabet = st.sampled_from(["a", " ", '"', delimiter, "é", "1", "\t", "'"])
        return _quote(draw(st.text(alphabet, max_size=6)))
    if kind == "quoted plain":
        return _quote(draw(plain))
    return draw(odd_quotes) if kind == "odd" else draw(plain)


@st.composite
def inputs(draw: Any) -> tuple[bytes, str, int]:
    """A CSV file's bytes, its delimiter and the position of its ``kwh`` column."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", " ", "§", ",", ".", "e", "5"]))
    width = draw(st.integers(1, 4))
    index = draw(st.integers(0, width - 1))
    header = [f"c{i}" if i != index else "kwh" for i in range(width)]
    if draw(st.booleans()):  # an export that quotes its header too
        header = [_quote(name) for name in header]
    lines = [delimiter.join(header)]
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(["row"] * 6 + ["ragged", "odd"]))
        fields = [_field(draw, delimiter, texts) for _ in range(width)]
        fields[index] = _field(draw, delimiter, cells)
        if kind == "ragged":
            fields = fields[: draw(st.integers(0, width + 2))] + [draw(texts)] * draw(
                st.integers(0, 2)
            )
        line = draw(odd_lines) if kind == "odd" else delimiter.join(fields)
        lines.append(line.replace(",", delimiter) if kind == "odd" else line)
    ending = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    text = "".join(
        line + (draw(st.sampled_from(["\n", "\r\n"])) if ending == "mixed" else ending)
        for line in lines
    )
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line break at the end
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 9)) == 0:  # bytes that are not UTF-8
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xff\xc3" + data[at:]
    return data, delimiter, index


def _run(folder: Path, engine: str, source: Path, **options: Any) -> tuple[Any, bytes, bytes]:
    out = folder / f"{engine}.csv"
    try:
        summary = run_batch(SHARED, str(source), column="kwh", unit="kWh", output=str(out),
                            csv_engine=engine, **options)  # fmt: skip
    except em.EquivMetricsError as exc:
        assert not out.exists()
        return (type(exc), str(exc)), b"", b""
    rejects = Path(f"{out}.rejects.csv")
    result = (summary.rows, summary.converted, summary.rejected)
    return result, out.read_bytes(), rejects.read_bytes()


@FUZZ
@given(
    made=inputs(),
    negative=st.sampled_from([None, "allow", "refuse", "nan"]),
    to=st.sampled_from([[("co2e", None)], [("co2e", "kg"), ("coal", "lb")], [("fte", None)]]),
    chunk=st.one_of(st.none(), st.integers(1, 7)),
    block=st.sampled_from([1_000_000, 64, 200]),
    window=st.sampled_from([64 * 1024, 16, 100]),
    max_line=st.sampled_from([1_048_576, 40]),
    cores=st.sampled_from([1, 2, 3]),
    by_python=st.sampled_from([4096, 0]),
)
def test_native_and_plain_write_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory,
    made: tuple[bytes, str, int],
    negative: Any,
    to: list[tuple[str, str | None]],
    chunk: int | None,
    block: int,
    window: int,
    max_line: int,
    cores: int,
    by_python: int,
) -> None:
    """The same files whatever the blocks, the windows, the lines' limit, the threads that
    convert blocks ahead (none on one core) and who writes values below 1e-4 (Python or
    polars)."""
    data, delimiter, _ = made
    folder = tmp_path_factory.mktemp("native")
    source = folder / "in.csv"
    source.write_bytes(data)
    unit = "hour" if to[0][0] == "fte" else "kWh"
    options = {
        "delimiter": delimiter,
        "negative": negative,
        "chunk_rows": chunk,
        "max_line": max_line,
    }
    if unit == "hour":
        options.update(of="manual_work", per="month")
    with (
        mock.patch.object(_batch, "CHUNK_CHARS", block),
        mock.patch.object(batch_plan, "WINDOW", window),
        mock.patch.object(batch_workers, "usable_cores", return_value=cores),
        mock.patch.object(batch_native, "_BY_PYTHON", by_python),
    ):
        plain = _run(folder, "plain", source, to=to, **options)
        native = _run(folder, "native", source, to=to, **options)
    assert native == plain


def test_native_engine_is_used_for_clean_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh,note\n" + "".join(f"{i},{'x' * 95}\n" for i in range(100)), "utf-8")
    calls = native_calls(monkeypatch)
    monkeypatch.setattr(_batch, "CHUNK_CHARS", 1000)  # blocks of at most 500 bytes
    run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "o.csv"), csv_engine="native")  # fmt: skip
    by_polars = [done.rows for _, done in calls if isinstance(done, batch_native.Converted)]
    assert sum(by_polars) == 100
    sizes = [len(block) for block, _ in calls]
    assert max(sizes) <= 500  # memory: half a chunk's characters in bytes
    assert sum(sizes) == source.stat().st_size - len("kwh,note\n")  # each line once
    calls.clear()
    run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "o.csv"))  # fmt: skip
    assert calls == []  # auto: a small file is left to the plain path


def test_a_large_file_takes_the_native_engine_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EQUIVMETRICS_CSV_ENGINE", raising=False)
    monkeypatch.setattr(batch_blocks, "NATIVE_FROM", 100)
    source = tmp_path / "in.csv"
    source.write_text("kwh\n" + "1.5\n" * 100, "utf-8")
    used = native_calls(monkeypatch)
    summary = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                        output=str(tmp_path / "o.csv"))  # fmt: skip
    assert summary.converted == 100
    assert used


def test_the_engine_option_and_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n1\n", "utf-8")
    argv = [
        "batch",
        str(source),
        "--column",
        "kwh",
        "--unit",
        "kWh",
        "--to",
        "co2e",
        "-o",
        str(tmp_path / "o.csv"),
    ]
    monkeypatch.setenv("EQUIVMETRICS_CSV_ENGINE", "fastest")
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert (
        "EQUIVMETRICS_CSV_ENGINE 'fastest': use one of auto, native, plain"
        in capsys.readouterr().err
    )
    assert main([*argv, "--csv-engine", "plain"]) == 0  # the option wins over the variable
    with pytest.raises(SystemExit):
        main([*argv, "--csv-engine", "fast"])
    assert "argument --csv-engine: invalid choice: 'fast'" in capsys.readouterr().err
    monkeypatch.setattr(batch_native, "available", lambda: False)  # the extra not installed
    monkeypatch.delenv("EQUIVMETRICS_CSV_ENGINE")
    assert main(argv) == 0  # auto: the plain path
    with pytest.raises(SystemExit):
        main([*argv, "--csv-engine", "native"])
    assert "--csv-engine native needs polars and numpy" in capsys.readouterr().err


def test_native_values_are_repr(tmp_path: Path) -> None:
    values = [0.1, 123456789.123, 3e-300, 1.5e-5, 2e-5, 99999.5, 1e16, 7e22, -0.0, 5e-324]
    source = tmp_path / "in.csv"
    source.write_text("x\n" + "".join(f"{v!r}\n" for v in values), "utf-8")
    out = tmp_path / "out.csv"
    run_batch(SHARED, str(source), column="x", unit="kWh", to=[("co2e", None)], output=str(out),
              negative="allow", csv_engine="native")  # fmt: skip
    factor = SHARED.compile("kWh", "co2e").factor
    written = out.read_text("utf-8").splitlines()[1:]
    assert written == [f"{v!r},{v * factor!r}" for v in values]
    assert all(math.isfinite(float(line.split(",")[1])) for line in written)


@pytest.mark.parametrize(
    ("cores", "threads", "depth"),
    [(1, "", 0), (2, "", 2), (3, "", 3), (64, "", batch_workers.MOST_WORKERS), (8, "1", 0)],
)
def test_blocks_are_converted_ahead_on_a_thread_per_core_at_most_four(
    monkeypatch: pytest.MonkeyPatch, cores: int, threads: str, depth: int
) -> None:
    """Memory: each block held ahead is up to 4 MiB with its frames, so a many-core machine
    converts four ahead, not one per core; one core, or EQUIVMETRICS_THREADS=1, none."""
    assert batch_workers.MOST_WORKERS == 4
    monkeypatch.setattr(batch_workers, "usable_cores", lambda: cores)
    monkeypatch.setenv("EQUIVMETRICS_THREADS", threads)
    with batch_workers.Workers() as workers:
        assert workers.depth == depth
        assert (workers.pool is None) == (depth == 0)
        assert workers.submit(lambda x: x * 2, 21).result() == 42


def test_a_block_with_a_line_the_native_engine_cannot_read_costs_no_second_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A block with a quote the native engine does not read (here inside an unquoted field)
    is planned on a worker like any other: its runs of clean lines converted there, the line
    left to the plain path, and the blocks behind it kept. No block is put back or taken
    twice (before, each such block put the blocks behind it back, and a file with such a
    quote in each block read and counted most blocks three times)."""
    lines = [f"{i},{'q' * 40}\n" if i % 40 else f'{i},a "quoted" {i}\n' for i in range(2_000)]
    source = tmp_path / "in.csv"
    source.write_text("kwh,note\n" + "".join(lines), "utf-8")
    monkeypatch.setattr(batch_workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(_batch, "CHUNK_CHARS", 4_000)  # blocks of 2,000 bytes, about 40 lines
    taken: list[int] = []
    real_take = batch_blocks.Blocks.take

    def take(self: batch_blocks.Blocks, rows: int) -> Any:
        got = real_take(self, rows)
        taken.append(len(got[0]) if got else 0)
        return got

    def put_back(self: batch_blocks.Blocks, ahead: Any) -> None:
        raise AssertionError("no block ends inside a quoted field here")

    monkeypatch.setattr(batch_blocks.Blocks, "take", take)
    monkeypatch.setattr(batch_blocks.Blocks, "_put_back", put_back)
    threads: set[str] = set()
    real_prepare = batch_native.prepare

    def prepare(block: bytes, *args: Any) -> Any:
        threads.add(threading.current_thread().name)
        return real_prepare(block, *args)

    monkeypatch.setattr(batch_native, "prepare", prepare)
    native = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                       output=str(tmp_path / "n.csv"), csv_engine="native")  # fmt: skip
    assert sum(taken) == source.stat().st_size - len("kwh,note\n")  # every byte taken once
    assert len(taken) >= 40
    assert threads  # polars converted the clean runs, each on a worker's thread:
    assert all(name.startswith("equivmetrics-batch") for name in threads)
    plain = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                      output=str(tmp_path / "p.csv"), csv_engine="plain")  # fmt: skip
    assert (native.rows, native.converted) == (plain.rows, plain.converted) == (2_000, 2_000)
    assert (tmp_path / "n.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()


@pytest.mark.parametrize("every", [7, 40, 97])
def test_a_quoted_field_open_past_its_block_puts_back_the_blocks_planned_behind_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    """Notes spanning several lines, some across a block's end, with two cores: the blocks
    planned behind such a block are put back and the plain path reads on; the files are the
    plain path's, byte for byte."""
    lines = [
        f'{i},"note {i}\nline two\nline three"\n' if i % every == 3 else f"{i},plain {i}\n"
        for i in range(3_000)
    ]
    source = tmp_path / "in.csv"
    source.write_text("kwh,note\n" + "".join(lines), "utf-8")
    monkeypatch.setattr(batch_workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(_batch, "CHUNK_CHARS", 600)  # blocks of 300 bytes: notes cross ends
    put_back: list[int] = []
    real = batch_blocks.Blocks._put_back

    def spy(self: batch_blocks.Blocks, ahead: Any) -> None:
        put_back.append(len(ahead))
        real(self, ahead)

    monkeypatch.setattr(batch_blocks.Blocks, "_put_back", spy)
    native = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                       output=str(tmp_path / "n.csv"), csv_engine="native")  # fmt: skip
    plain = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                      output=str(tmp_path / "p.csv"), csv_engine="plain")  # fmt: skip
    assert put_back  # a note crossed a block's end
    assert any(put_back)  # with blocks planned behind it
    assert (native.rows, native.converted) == (plain.rows, plain.converted) == (3_000, 3_000)
    assert (tmp_path / "n.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()


# -- simply quoted fields: read by polars, as the csv module reads them -----------------------


@pytest.mark.parametrize(
    ("line", "simple"),
    [
        (b"a,b\n", True),
        (b'"a",b\n', True),
        (b'"a""b",c\n', True),  # a doubled quote inside
        (b'"",x\n', True),  # an empty quoted field
        (b'"""a",1\n', True),
        (b'"a,b"\n', True),  # the delimiter inside
        (b'"a"",b"\n', True),  # a doubled quote, then the delimiter, inside
        (b'x,"y"\r\n', True),
        (b'a,""""\n', True),
        (b'ab"c,1\n', False),  # a quote inside an unquoted field
        (b'"ab"c,1\n', False),  # text after the closing quote
        (b' "a",1\n', False),  # a space before the opening quote
        (b'"a" ,1\n', False),
        (b'"open\n', False),
        (b'"two\nlines",2\n', False),  # a quoted field running onto the next line
        (b'"a"""b",1\n', False),
    ],
)
def test_simply_quoted_lines(line: bytes, simple: bool) -> None:
    assert (batch_lines.simply_quoted(line, 0, ",") == len(line)) is simple
    block = b"ok,1\n" + line + b"x,2\n"  # the first line that is not simple starts there
    expected = len(block) if simple else len(b"ok,1\n")
    assert batch_lines.simply_quoted(block, 0, ",") == expected
    assert batch_lines.simply_quoted(b'"z";"1"\n', 0, ";") == len(b'"z";"1"\n')


def test_an_export_quoting_every_field_is_read_by_polars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A header and rows all quoted, quotes and delimiters inside: every row goes through
    polars, and the files are the plain path's."""
    source = tmp_path / "in.csv"
    rows = [f'"s{i}","said ""hi"", then {i}","{i}.5"\n' for i in range(300)]
    source.write_text('"site","note","kwh"\n' + "".join(rows), "utf-8")
    calls = native_calls(monkeypatch)
    native = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                       output=str(tmp_path / "n.csv"), csv_engine="native")  # fmt: skip
    converted = [done.rows for _, done in calls if isinstance(done, batch_native.Converted)]
    assert sum(converted) == 300
    plain = run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                      output=str(tmp_path / "p.csv"), csv_engine="plain")  # fmt: skip
    assert (native.rows, native.converted) == (plain.rows, plain.converted) == (300, 300)
    written = (tmp_path / "n.csv").read_bytes()
    assert written == (tmp_path / "p.csv").read_bytes()
    assert written.splitlines()[1].startswith(b's0,"said ""hi"", then 0",0.5,')


@pytest.mark.parametrize("why", ["one column", "polars quotes differently"])
def test_quotes_go_to_the_plain_path_when_polars_may_not_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    """In a file of one column (where the csv module writes an empty field as ``""``), or
    with a polars whose quoting the probe found different, a quote sends its line on."""
    source = tmp_path / "in.csv"
    if why == "one column":
        source.write_text("kwh\n" + '"1.5"\n""\n2\n' * 50, "utf-8")
    else:
        source.write_text("kwh,note\n" + '1.5,"a,b"\n' * 50, "utf-8")
        monkeypatch.setattr(batch_native, "quoting", lambda: False)
    calls = native_calls(monkeypatch)
    run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "n.csv"), csv_engine="native")  # fmt: skip
    assert not any(
        b'"' in block for block, done in calls if isinstance(done, batch_native.Converted)
    )
    run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "p.csv"), csv_engine="plain")  # fmt: skip
    assert (tmp_path / "n.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()


def test_the_quoting_probe_refuses_a_polars_that_writes_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    batch_native.quoting.cache_clear()
    try:
        assert batch_native.quoting()
        batch_native.quoting.cache_clear()
        monkeypatch.setattr(batch_native, "_csv", lambda frame, delimiter, quoted=False: b"")
        assert not batch_native.quoting()
    finally:
        monkeypatch.undo()
        batch_native.quoting.cache_clear()


def test_the_probe_refuses_a_polars_that_reads_more_than_plain_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import polars as pl

    assert batch_native._probe()

    def lenient(cells: Any) -> Any:  # reads "1_000" as 1000 (Python's float does too)
        return cells.str.replace_all("_", "").cast(pl.Float64, strict=False)

    monkeypatch.setattr(batch_native, "_number", lenient)
    assert not batch_native._probe()


@pytest.mark.parametrize(
    ("cell", "value", "plain"),
    [("1.5", 1.5, True), ("1_000", 1000.0, False), ("1_000", None, True), ("١٢", 12.0, False),
     ("nan", math.nan, True), (" 1", 1.0, True), (" 1", 2.0, False), ("1e999", math.inf, True)],
)  # fmt: skip
def test_a_reading_is_the_plain_paths_or_none(cell: str, value: float | None, plain: bool) -> None:
    assert batch_native._as_plain(cell, value) is plain


@pytest.mark.parametrize(
    ("delimiter", "scale"), [(".", 1), ("0", 1), ("5", 1), ("e", 1), ("-", 1), ("+", 10**22)]
)
def test_a_delimiter_found_in_numbers_quotes_the_values_as_the_csv_module_does(
    tmp_path: Path, delimiter: str, scale: int
) -> None:
    """``--delimiter .``: a value's text holds the delimiter, so it is written quoted."""
    source = tmp_path / "in.csv"
    rows = "".join(f"{i * scale}{delimiter}x\n" for i in range(1, 200) if "0" not in str(i))
    source.write_text(f"kwh{delimiter}note\n{rows}", "utf-8")
    for engine in ("native", "plain"):
        run_batch(SHARED, str(source), column="kwh", unit="g", to=[("co2e", None)],
                  output=str(tmp_path / f"{engine}.csv"), csv_engine=engine,
                  delimiter=delimiter)  # fmt: skip
    written = (tmp_path / "native.csv").read_bytes()
    assert written == (tmp_path / "plain.csv").read_bytes()
    assert b'"' in written  # g to t CO2e: 1e-06 and the like hold "e", "-" and digits


def test_a_block_is_walked_once_whatever_its_odd_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export quoting every field, with a line the native engine cannot read every 100
    rows: each block is looked at about once (before, each odd line had the rest of its block
    scanned, copied and counted again), and the files are the plain path's."""
    lines = [
        f'"s{i}",{i}" pipe,"{i}.5"\n' if i % 100 == 50 else f'"s{i}","ok","{i}.5"\n'
        for i in range(20_000)
    ]
    source = tmp_path / "in.csv"
    source.write_text('"site","note","kwh"\n' + "".join(lines), "utf-8")
    looked: list[int] = []
    real = batch_lines._first_dirty

    def spy(block: bytes, start: int, end: int, quotes: str | None) -> int:
        looked.append(end - start)
        return real(block, start, end, quotes)

    monkeypatch.setattr(batch_lines, "_first_dirty", spy)
    run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "n.csv"), csv_engine="native")  # fmt: skip
    assert sum(looked) <= 3 * source.stat().st_size
    run_batch(SHARED, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "p.csv"), csv_engine="plain")  # fmt: skip
    assert (tmp_path / "n.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()
