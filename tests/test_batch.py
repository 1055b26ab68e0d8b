"""Batch conversion of CSV files: every row kept, every bad row explained, no half-written file."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._integrations import batch as _batch
from equivmetrics._integrations import batch_native
from equivmetrics._integrations.batch import UsageError, parse_targets, run_batch
from equivmetrics._integrations.cli import main
from strategies import SETTINGS

pytestmark = pytest.mark.usefixtures("csv_engine")

#: AVERT 2019: 1,562.4 lb CO2 per MWh avoided; 0.45359237 kg per lb, 1,000 kg per t.
T_CO2_PER_KWH = 1562.4 * 0.45359237 / 1000 / 1000
#: EPA: a seedling grown 10 years holds (0.11 x 23.2 + 0.89 x 38.0) lb C, x 44/12 for CO2.
T_CO2_PER_SEEDLING = (0.11 * 23.2 + 0.89 * 38.0) * 44 / 12 * 0.45359237 / 1000

SAMPLE = (
    "site,kwh,note\n"
    "a,100,ok\n"  # line 2
    "b,,empty\n"  # line 3
    "c,abc,garbage\n"  # line 4
    "d,-5,negative\n"  # line 5
    'e,"1,5",comma\n'  # line 6
    'f,1e3,"two\nlines"\n'  # lines 7-8
    "g,nan,not finite\n"  # line 9
    "h,2\n"  # line 10: a field short
    "\n"  # line 11: blank
    "i, 7.5 ,spaces\n"  # line 12
)


def chunk_converter(engine: str) -> tuple[Any, str]:
    """What converts each chunk on ``engine``: the module and the name of the function."""
    return (_batch, "_convert_chunk") if engine == "plain" else (batch_native, "write")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "equivmetrics", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
        check=False,
    )


def read_csv(path: Path, delimiter: str = ",") -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f, delimiter=delimiter))


def test_bad_rows_are_kept_and_explained(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(SAMPLE, encoding="utf-8")
    out = tmp_path / "out.csv"
    done = run(
        "batch", str(source), "--column", "kwh", "--unit", "kWh", "--to", "co2e,tree_seedling",
        "-o", str(out),
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stdout == f"10 rows: 3 converted, 7 rejected (listed in {out}.rejects.csv)\n"
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    rows = read_csv(out)
    assert rows[0] == ["site", "kwh", "note", "co2e [t]", "tree_seedling [count]"]
    assert len(rows) == 11  # the header and every one of the 10 input rows
    converted = {row[0]: row[3:] for row in rows[1:] if row[3]}
    assert set(converted) == {"a", "f", "i"}
    for site, kwh in (("a", 100), ("f", 1000), ("i", 7.5)):
        co2e, trees = map(float, converted[site])
        assert co2e == pytest.approx(kwh * T_CO2_PER_KWH, rel=1e-12)
        assert trees == pytest.approx(kwh * T_CO2_PER_KWH / T_CO2_PER_SEEDLING, rel=1e-12)
    assert rows[6] == ["f", "1e3", "two\nlines", *converted["f"]]
    assert rows[8] == ["h", "2", "", "", ""]  # a short row padded: the output stays rectangular
    assert rows[9] == ["", "", "", "", ""]
    rejects = read_csv(Path(f"{out}.rejects.csv"))
    assert rejects == [
        ["line", "reason", "site", "kwh", "note"],
        ["3", "empty value in column 'kwh'", "b", "", "empty"],
        ["4", "not a number in column 'kwh': 'abc'", "c", "abc", "garbage"],
        [
            "5",
            "negative value: kind 'electricity_avoided' refuses negatives",
            "d",
            "-5",
            "negative",
        ],
        ["6", "not a number in column 'kwh': '1,5'", "e", "1,5", "comma"],
        ["9", "not a finite number in column 'kwh': 'nan'", "g", "nan", "not finite"],
        ["10", "row has 2 fields, the header has 3", "h", "2"],
        ["11", "blank line"],
    ]


def test_all_good_exits_0_with_an_empty_rejects_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n1\n2.5\n0\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    done = run(
        "batch", str(source), "--column", "kwh", "--unit", "MWh", "--to", "co2e:kg",
        "-o", str(out), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary == {
        "schema": "equivmetrics.batch/1",
        "rows": 3,
        "converted": 3,
        "rejected": 0,
        "output": "out.csv",  # issue 12: JSON names files without their folders
        "rejects": "out.csv.rejects.csv",
        "column": "kwh",
        "targets": [
            {
                "kind": "co2e",
                "unit": "kg",
                "column": "co2e [kg]",
                "factor": pytest.approx(1562.4 * 0.45359237, rel=1e-12),  # kg per MWh
                "negative": "refuse",  # kWh avoided cannot be negative
            }
        ],
    }
    rows = read_csv(out)
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(
        [1562.4 * 0.45359237, 2.5 * 1562.4 * 0.45359237, 0.0], rel=1e-12
    )
    assert read_csv(Path(f"{out}.rejects.csv")) == [["line", "reason", "kwh"]]


def test_values_are_written_with_round_trip_precision(tmp_path: Path) -> None:
    engine = em.load()
    source = tmp_path / "in.csv"
    source.write_text("x\n0.1\n123456789.123\n3e-300\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    run_batch(engine, str(source), column="x", unit="kWh", to=[("co2e", None)], output=str(out))
    for value, row in zip((0.1, 123456789.123, 3e-300), read_csv(out)[1:], strict=True):
        assert float(row[1]) == engine.convert((value, "kWh"), "co2e").magnitude
        assert row[1] == repr(value * engine.compile("kWh", "co2e").factor)


def test_rates_with_per_and_source_kind(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("month,done\n2026-01,12000\n2026-02,2400\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = run_batch(
        em.load(),
        str(source),
        column="done",
        unit="hour",
        of="manual_work",
        per="month",
        to=[("fte", None)],
        output=str(out),
    )
    assert summary.converted == 2
    rows = read_csv(out)
    assert rows[0] == ["month", "done", "fte [FTE]"]
    # 12,000 hours a month x 12 months / 1,878.50 hours worked per FTE-year = 76.65 FTE
    # (hours worked in an FTE-year: 2,080 paid / (1 + 3.44 / 32.07) = 2,080 x 32.07 / 35.51)
    hours_worked = 2080 * 32.07 / 35.51
    assert float(rows[1][2]) == pytest.approx(12000 * 12 / hours_worked, rel=1e-12)
    assert float(rows[2][2]) == pytest.approx(2400 * 12 / hours_worked, rel=1e-12)


def test_joules_need_a_source_kind_before_anything_is_written(tmp_path: Path) -> None:
    # Issue 13: a column in GJ was read as food energy. A joule could be food, fuel or
    # electricity: the batch refuses the column as convert does, naming the kinds, and with
    # --of it converts: 1 GJ / 3.6 MJ per kWh = 277.78 kWh of electricity avoided.
    source = tmp_path / "in.csv"
    source.write_text("site,gj\na,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    with pytest.raises(em.AmbiguousKindError, match="of='food_energy'"):
        run_batch(
            em.load(), str(source), column="gj", unit="GJ", to=[("co2e", None)], output=str(out)
        )
    assert not out.exists()
    summary = run_batch(
        em.load(),
        str(source),
        column="gj",
        unit="GJ",
        of="electricity_avoided",
        to=[("electricity_avoided", "kWh")],
        output=str(out),
    )
    assert summary.converted == 1
    assert float(read_csv(out)[1][2]) == pytest.approx(1e9 / 3.6e6, rel=1e-12)


def test_a_target_unit_the_kind_refuses_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # Issue 13: --to gasoline:barrel answered in 31.5-gallon barrels
    source = tmp_path / "in.csv"
    source.write_text("site,t\na,1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    for unit in ("barrel", "bbl"):
        with pytest.raises(em.UnitError, match=f"^gasoline does not accept unit='{unit}'"):
            run_batch(
                em.load(),
                str(source),
                column="t",
                unit="t",
                to=[("gasoline", unit)],
                output=str(out),
            )
    assert not out.exists()


@pytest.mark.parametrize(
    ("policy", "converted", "reason"),
    [
        ("allow", True, ""),
        ("refuse", False, "negative value: kind 'electricity_avoided' refuses negatives"),
        ("nan", False, "negative value: kind 'electricity_avoided' reads negatives as missing"),
    ],
)
def test_negative_policy_override(
    tmp_path: Path, policy: NegativePolicy, converted: bool, reason: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n-10\n-0.0\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = run_batch(
        em.load(),
        str(source),
        column="kwh",
        unit="kWh",
        to=[("co2e", None)],
        output=str(out),
        negative=policy,
    )
    rows = read_csv(out)
    assert rows[2] == ["-0.0", "-0.0"]  # minus zero is not negative
    if converted:
        assert float(rows[1][1]) == pytest.approx(-10 * T_CO2_PER_KWH, rel=1e-12)
        assert summary.rejected == 0
    else:
        assert rows[1] == ["-10", ""]
        assert read_csv(Path(f"{out}.rejects.csv"))[1] == ["2", reason, "-10"]
        assert summary.targets[0]["negative"] == policy


def test_chunks_keep_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('v\n1\nx\n"2"\n"\n"\n3\ny\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = run_batch(
        em.load(), str(source), column="v", unit="kWh", to=[("co2e", None)], output=str(out),
        chunk_rows=2,
    )  # fmt: skip
    assert (summary.rows, summary.converted) == (6, 3)
    rejects = read_csv(Path(f"{out}.rejects.csv"))
    assert [(r[0], r[2]) for r in rejects[1:]] == [("3", "x"), ("5", "\n"), ("8", "y")]


def test_stdin_to_stdout(tmp_path: Path) -> None:
    rejects = tmp_path / "bad.csv"
    args = ["batch", "-", "--column", "kwh", "--unit", "kWh", "--to", "co2e", "-o", "-",
            "--rejects", str(rejects), "--delimiter", ";"]  # fmt: skip
    done = run(*args, stdin="kwh;site\n1000;x\nzz;y\n")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "kwh;site;co2e [t]"
    assert lines[1].split(";")[:2] == ["1000", "x"]
    assert float(lines[1].split(";")[2]) == pytest.approx(1000 * T_CO2_PER_KWH, rel=1e-12)
    assert lines[2] == "zz;y;"
    # standard output carries the CSV, so the summary goes to standard error
    assert done.stderr == f"2 rows: 1 converted, 1 rejected (listed in {rejects})\n"
    # the rejects file uses the same delimiter
    assert read_csv(rejects, ";")[1] == ["3", "not a number in column 'kwh': 'zz'", "zz", "y"]
    done = run(*args, "--json", stdin="kwh;site\n1000;x\n")
    assert done.returncode == 0
    assert json.loads(done.stderr)["converted"] == 1
    assert done.stdout.count("\n") == 2


def test_bytes_survive_and_a_bom_is_skipped(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b"\xef\xbb\xbfkwh,name\n1,caf\xc3\xa9\n2,broken \xff\xfe\n")
    out = tmp_path / "out.csv"
    summary = run_batch(
        em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)], output=str(out)
    )
    assert summary.converted == 2
    data = out.read_bytes()
    assert data.startswith(b"kwh,name,co2e [t]\n1,caf\xc3\xa9,")
    assert b"\n2,broken \xff\xfe," in data  # undecodable bytes written back unchanged
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"kwh,name\n3,caf\xe9\n")
    run_batch(
        em.load(), str(latin), column="kwh", unit="kWh", to=[("co2e", None)],
        output=str(out), encoding="latin-1",
    )  # fmt: skip
    assert out.read_bytes().startswith(b"kwh,name,co2e [t]\n3,caf\xe9,")


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--column", "kw"], "--column 'kw' is not a column of"),
        (["--column", "kw"], "its columns are: 'site', 'kwh', 'note'"),
        (["--delimiter", ";;"], "--delimiter ';;' must be one character"),
        (["--encoding", "klingon"], "--encoding 'klingon' is not a known text encoding"),
        (["--to", "co2e,co2e"], "output column 'co2e [t]' would appear twice"),
        (["--to", "co2e:"], "--to 'co2e:': expected KIND or KIND:UNIT"),
        (["--to", ","], "--to names no kind"),
        (["--output", "-"], "with -o - (standard output) give --rejects PATH"),
        (["--negative", "maybe"], "argument --negative: invalid choice: 'maybe'"),
        (["--column"], "argument --column: expected one argument"),
    ],
)
def test_usage_errors_exit_2_naming_the_option(
    tmp_path: Path, args: list[str], needle: str, capsys: Any
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("site,kwh,note\na,1,x\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    base = ["batch", str(source), "--column", "kwh", "--unit", "kWh", "--to", "co2e"]
    with pytest.raises(SystemExit) as exc:
        main([*base, "-o", str(out), *args])
    assert exc.value.code == 2
    assert needle in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]  # nothing written


@pytest.mark.parametrize(
    ("header", "advice"),
    [
        ("site;kwh;note", "The header is separated by ';': give --delimiter ';'"),
        ("site\tkwh", "The header is separated by '\\t': give --delimiter \"$(printf '\\t')\""),
        ("site|kwh", "The header is separated by '|': give --delimiter '|'"),
        ("site;kWh", ""),  # the column is not there either way: no advice
        ("site,kw", ""),
    ],
)
def test_a_header_another_separator_splits_advises_the_delimiter(
    tmp_path: Path, capsys: Any, header: str, advice: str
) -> None:
    """A German export read with the default comma: the header is one column."""
    source = tmp_path / "in.csv"
    source.write_text(f"{header}\n" + header.replace("kwh", "1").replace("site", "a") + "\n")
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(source), "--column", "kwh", "--unit", "kWh", "--to", "co2e",
              "-o", str(tmp_path / "out.csv")])  # fmt: skip
    assert exc.value.code == 2
    message = capsys.readouterr().err
    assert "--column 'kwh' is not a column of" in message
    assert (advice in message) if advice else "--delimiter" not in message.split("error:")[1]


def test_input_problems(tmp_path: Path, capsys: Any) -> None:
    out = str(tmp_path / "out.csv")
    base = ["--column", "kwh", "--unit", "kWh", "--to", "co2e", "-o", out]
    with pytest.raises(SystemExit) as exc:
        main(["batch", str(tmp_path / "missing.csv"), *base])
    assert exc.value.code == 2
    assert f"cannot read input '{tmp_path / 'missing.csv'}'" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["batch", str(empty), *base])
    assert "is empty: expected a header row" in capsys.readouterr().err
    twice = tmp_path / "twice.csv"
    twice.write_text("kwh,kwh\n1,2\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["batch", str(twice), *base])
    assert "--column 'kwh' names 2 columns" in capsys.readouterr().err
    # a conversion that cannot exist is a conversion error (exit 1), checked before writing
    assert main(["batch", str(twice), *base[:-3], "co2", "-o", out]) == 1
    assert "unknown kind 'co2'" in capsys.readouterr().err
    assert not Path(out).exists()
    with pytest.raises(UsageError, match="must be a file other than the output"):
        run_batch(em.load(), str(twice), column="kwh", unit="kWh", to=[("co2e", None)],
                  output=out, rejects=out)  # fmt: skip


def test_an_unreadable_row_stops_the_run_and_says_where(tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "in.csv"
    # csv refuses fields longer than its limit (131,072 characters by default)
    source.write_text("kwh,note\n1,x\n2," + "y" * 200_000 + "\n3,z\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    argv = ["batch", str(source), "--column", "kwh", "--unit", "kWh", "--to", "co2e"]
    assert main([*argv, "-o", str(out)]) == 1
    assert "line 3: cannot read the CSV (field larger than field limit" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
    source.write_text("kwh," + "y" * 200_000 + "\n1,2\n", encoding="utf-8")
    assert main([*argv, "-o", str(out)]) == 1
    assert "line 1: cannot read the CSV header" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_parse_targets() -> None:
    assert parse_targets(" co2e : kg , coal,") == [("co2e", "kg"), ("coal", None)]
    assert parse_targets("co2e:lb/day") == [("co2e", "lb/day")]
    with pytest.raises(UsageError, match="'1co2e'"):
        parse_targets("1co2e")


def test_an_interrupted_run_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any, csv_engine: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n" + "1\n" * 10, encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("previous\n", encoding="utf-8")
    module, name = chunk_converter(csv_engine)
    real = getattr(module, name)
    calls = []

    def interrupted(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(module, name, interrupted)
    monkeypatch.setattr(_batch, "CHUNK_ROWS", 2)
    with pytest.raises(KeyboardInterrupt):
        run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                  output=str(out), chunk_rows=2)  # fmt: skip
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv", "out.csv"]  # no temp files
    calls.clear()
    argv = ["batch", str(source), "--column", "kwh", "--unit", "kWh", "--to", "co2e"]
    assert main([*argv, "-o", str(out)]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_sigint_during_a_run_leaves_no_file(tmp_path: Path) -> None:
    """A real interruption: the process reads stdin, has its temporary file open, gets SIGINT."""
    out = tmp_path / "out.csv"
    with subprocess.Popen(
        [sys.executable, "-m", "equivmetrics", "batch", "-", "--column", "kwh", "--unit", "kWh",
         "--to", "co2e", "-o", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:  # fmt: skip
        assert process.stdin is not None
        process.stdin.write("kwh\n1\n2\n")
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
            assert time.monotonic() < deadline, "the run never started"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 130
        process.stdin.close()
    assert list(tmp_path.iterdir()) == []


def test_permissions_follow_the_replaced_file(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("kwh\n1\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(out))  # fmt: skip
    assert out.stat().st_mode & 0o777 == 0o640
    mask = os.umask(0o022)
    os.umask(mask)
    assert Path(f"{out}.rejects.csv").stat().st_mode & 0o777 == 0o666 & ~mask


def test_progress_on_a_terminal_without_tqdm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)  # the [progress] extra not installed
    source = tmp_path / "in.csv"
    source.write_text("kwh\n" + "1\n" * 5, encoding="utf-8")
    shown = io.StringIO()
    run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
              output=str(tmp_path / "out.csv"), chunk_rows=2, progress=shown)  # fmt: skip
    text = shown.getvalue()
    assert text.startswith("\r2 rows  ")
    assert "\r4 rows  " in text
    assert text.endswith("\r5 rows  done\n")


# -- a batch loses no row: property test ---------------------------------------------------------

numbers = st.floats(allow_nan=False, allow_infinity=False).map(repr) | st.integers(
    -(10**20), 10**20
).map(str)
padded_numbers = st.tuples(st.sampled_from(["", " "]), numbers, st.sampled_from(["", "  "])).map(
    "".join
)


def _not_a_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


garbage = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00"),
    max_size=8,
).filter(lambda s: s.strip() and _not_a_float(s))
cells = st.one_of(
    padded_numbers.map(lambda s: ("number", s)),
    st.sampled_from(["", " ", "\t"]).map(lambda s: ("blank", s)),
    st.sampled_from(["nan", "inf", "-Infinity", "NaN"]).map(lambda s: ("not finite", s)),
    garbage.map(lambda s: ("garbage", s)),
    st.sampled_from(["1,5", "2\n3", '"4"']).map(lambda s: ("garbage", s)),
)
notes = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\x00"),
    max_size=6,
)
SHARED = em.load()


@SETTINGS
@given(rows=st.lists(st.tuples(cells, notes), max_size=25), chunk=st.integers(1, 7))
def test_a_batch_loses_no_row(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[tuple[str, str], str]], chunk: int
) -> None:
    folder = tmp_path_factory.mktemp("batch")  # one per example
    source = folder / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["note", "kwh"])
        for (_, cell), note in rows:
            writer.writerow([note, cell])
    out = folder / "out.csv"
    summary = run_batch(SHARED, str(source), column="kwh", unit="kWh",
                        to=[("co2e", None), ("coal", "kg")], output=str(out),
                        chunk_rows=chunk)  # fmt: skip
    written = read_csv(out)
    rejects = read_csv(Path(f"{out}.rejects.csv"))
    assert written[0] == ["note", "kwh", "co2e [t]", "coal [kg]"]
    assert summary.rows == len(rows) == len(written) - 1
    assert summary.rejected == len(rejects) - 1
    lines, line = [], 2  # the header is line 1
    for (_, cell), note in rows:
        lines.append(line)
        line += 1 + cell.count("\n") + note.count("\n")
    rejected = {int(r[0]): r for r in rejects[1:]}
    assert set(rejected) <= set(lines)
    for ((category, cell), note), out_row, start in zip(rows, written[1:], lines, strict=True):
        assert out_row[:2] == [note, cell]
        value = float(cell) if category == "number" else math.nan
        if category == "number" and value >= 0 and math.isfinite(value):
            assert start not in rejected
            for kind, unit, shown in (("co2e", None, out_row[2]), ("coal", "kg", out_row[3])):
                expected = SHARED.convert((value, "kWh"), kind, unit=unit).magnitude
                assert float(shown) == expected
                assert shown == repr(expected)
        else:
            assert out_row[2:] == ["", ""]
            assert rejected[start][2:] == [note, cell]


def test_the_rejects_file_may_not_be_the_input(tmp_path: Path, capsys: Any) -> None:
    """It would replace the input with the rejected rows alone: refused before anything is
    read or written, whether named as the input, through a link or by a hard link."""
    source = tmp_path / "in.csv"
    text = "site,kwh\na,1\nb,-2\nc,x\n"
    source.write_text(text, encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(source)
    os.link(source, tmp_path / "hard.csv")
    base = ["batch", str(source), "--column", "kwh", "--unit", "kWh", "--to", "co2e"]
    for name in ("in.csv", "link.csv", "hard.csv"):
        with pytest.raises(SystemExit) as exc:
            main([*base, "-o", str(tmp_path / "out.csv"), "--rejects", str(tmp_path / name)])
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert f"--rejects '{tmp_path / name}' is the input file" in err
        assert "name another file" in err
    with pytest.raises(UsageError, match="is the input file"):
        run_batch(em.load(), str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                  output=str(tmp_path / "out.csv"), rejects=str(source))  # fmt: skip
    assert source.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hard.csv", "in.csv", "link.csv"]


def test_the_output_may_be_the_input(tmp_path: Path) -> None:
    """Converting a file in place: the input is read to its end before the new file (every
    row as it was, with the new column) replaces it."""
    source = tmp_path / "in.csv"
    source.write_text("site,kwh\na,1\nb,x\nc,2.5\n", encoding="utf-8")
    engine = em.load()
    factor = engine.compile("kWh", "co2e").factor
    summary = run_batch(engine, str(source), column="kwh", unit="kWh", to=[("co2e", None)],
                        output=str(source))  # fmt: skip
    assert (summary.rows, summary.converted, summary.rejected) == (3, 2, 1)
    rows = list(csv.reader(source.read_text(encoding="utf-8").splitlines()))
    assert rows[0][:2] == ["site", "kwh"]
    assert [row[:2] for row in rows[1:]] == [["a", "1"], ["b", "x"], ["c", "2.5"]]
    assert [row[2] for row in rows[1:]] == [repr(1 * factor), "", repr(2.5 * factor)]
    rejects = (tmp_path / "in.csv.rejects.csv").read_text(encoding="utf-8")
    assert rejects.splitlines()[1].startswith("3,not a number in column 'kwh'")
