"""``equivmetrics batch --decimal ,``: a spreadsheet export with decimal commas, read and
written with them (the plain path), the same conversion as the decimal-point file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from batch_helpers import native_calls
from equivmetrics._integrations import batch_blocks
from equivmetrics._integrations.batch import UsageError, run_batch
from equivmetrics._integrations.batch_native import available as batch_native_available
from equivmetrics._integrations.cli import main
from equivmetrics.batch import convert_csv
from strategies import FUZZ

ENGINE = em.load()
#: kWh to kg CO2e: the EPA pack's avoided-electricity factor (hand-checked in test_pack_epa).
FACTOR = ENGINE.compile("kWh", "co2e", unit="kg").factor


def _run(tmp_path: Path, text: str, name: str, **options: Any) -> tuple[list[list[str]], str]:
    source = tmp_path / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / f"{name}.out.csv"
    run_batch(ENGINE, str(source), column="kWh", unit="kWh", to=[("co2e", "kg")],
              output=str(out), delimiter=";", **options)  # fmt: skip
    with out.open(encoding="utf-8", newline="") as written:
        rows = list(csv.reader(written, delimiter=";"))
    return rows, Path(f"{out}.rejects.csv").read_text(encoding="utf-8")


def test_a_german_export_is_read_and_written_with_decimal_commas(tmp_path: Path) -> None:
    text = "Zähler;kWh\nWest;12.400\nOst;950,5\nSüd;12.5\nNord;1,5e3\n"
    text += "A;0.500\nB;000.001\nC;1.234e3\nD;0,500\n"  # a point after 0, dots and exponent
    rows, rejects = _run(tmp_path, text, "de", decimal=",")
    assert rows[0] == ["Zähler", "kWh", "co2e [kg]"]
    # 12.400 is twelve thousand four hundred, 950,5 nine hundred and fifty and a half: the
    # products are the decimal-point file's, written with a comma
    assert rows[1] == ["West", "12.400", repr(12400 * FACTOR).replace(".", ",")]
    assert rows[2] == ["Ost", "950,5", repr(950.5 * FACTOR).replace(".", ",")]
    assert rows[3] == ["Süd", "12.5", ""]  # no number with a decimal comma: a reject
    assert rows[4] == ["Nord", "1,5e3", repr(1500 * FACTOR).replace(".", ",")]
    assert [row[2] for row in rows[5:8]] == ["", "", ""]  # never 500, 1 or 1,234,000
    assert rows[8] == ["D", "0,500", repr(0.5 * FACTOR).replace(".", ",")]
    why = "not a number with a decimal comma in column 'kWh'"
    assert rejects.splitlines()[1:] == [
        f"4;{why}: '12.5';Süd;12.5",
        f"6;{why}: '0.500';A;0.500",
        f"7;{why}: '000.001';B;000.001",
        f"8;{why}: '1.234e3';C;1.234e3",
    ]


@FUZZ
@given(
    values=st.lists(
        st.one_of(
            st.floats(min_value=-1e12, max_value=1e12, allow_nan=False).map(lambda x: round(x, 4)),
            st.integers(-(10**9), 10**9),
        ),
        min_size=1,
        max_size=30,
    ),
    grouped=st.booleans(),
)
def test_the_decimal_comma_file_converts_as_the_decimal_point_file(
    tmp_path_factory: pytest.TempPathFactory, values: list[float], grouped: bool
) -> None:
    """The same numbers written both ways (with thousands dots or not): the same rows,
    converted and rejected alike (negatives are refused), the values written with the
    file's decimal mark."""
    tmp_path = tmp_path_factory.mktemp("decimal")
    point = "".join(f"r{i};{v!r}\n" for i, v in enumerate(values))
    comma = "".join(f"r{i};{_german(v, grouped)}\n" for i, v in enumerate(values))
    english, english_rejects = _run(tmp_path, "id;kWh\n" + point, "en")
    german, german_rejects = _run(tmp_path, "id;kWh\n" + comma, "de", decimal=",")
    assert [row[2] for row in german] == [row[2].replace(".", ",") for row in english]
    assert len(german_rejects.splitlines()) == len(english_rejects.splitlines())


def _german(value: float, grouped: bool) -> str:
    """``value`` as a German spreadsheet writes it, worked digit by digit."""
    sign, text = ("-", repr(value)[1:]) if repr(value).startswith("-") else ("", repr(value))
    whole, _, part = text.partition(".")
    if "e" in text:  # 1e-05: the comma in the mantissa only
        return sign + text.replace(".", ",")
    if grouped:
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ".".join([whole, *groups])
    return sign + whole + ("," + part if part else "")


@pytest.mark.skipif(not batch_native_available(), reason="needs the [fast] extra")
def test_the_native_engine_is_not_used_and_not_asked_for(tmp_path: Path, monkeypatch: Any) -> None:
    """Only the plain path reads decimal commas: auto takes it (polars never sees the
    file), and --csv-engine native with --decimal , is a usage error."""
    calls = native_calls(monkeypatch)
    text = "id;kWh\n" + "".join(f"r{i};{i},5\n" for i in range(3000))
    with mock.patch.object(batch_blocks, "NATIVE_FROM", 0):  # auto takes even a small file
        rows, _ = _run(tmp_path, text, "auto", decimal=",", csv_engine="auto")
        assert not calls
        _run(tmp_path, text.replace(",", "."), "point", csv_engine="auto")
        assert calls  # the same file with decimal points: the native engine
    assert rows[1][2] == repr(0.5 * FACTOR).replace(".", ",")
    source = tmp_path / "auto.csv"
    with pytest.raises(UsageError, match="--decimal ',' is read by the plain path only"):
        run_batch(ENGINE, str(source), column="kWh", unit="kWh", to=[("co2e", None)],
                  output=str(tmp_path / "n.csv"), delimiter=";", decimal=",",
                  csv_engine="native")  # fmt: skip
    with pytest.raises(UsageError, match=r"--decimal ';': use '\.' or ','"):
        run_batch(ENGINE, str(source), column="kWh", unit="kWh", to=[("co2e", None)],
                  output=str(tmp_path / "n.csv"), delimiter=";", decimal=";")  # fmt: skip
    assert not (tmp_path / "n.csv").exists()


def test_the_command_line_option(tmp_path: Path, capsys: Any) -> None:
    source = tmp_path / "de.csv"
    source.write_text("Zähler;kWh\nWest;1.000\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    argv = ["batch", str(source), "--delimiter", ";", "--decimal", ",", "--column", "kWh",
            "--unit", "kWh", "--to", "co2e:kg", "-o", str(out)]  # fmt: skip
    assert main(argv) == 0
    assert out.read_text(encoding="utf-8").splitlines()[1] == (
        "West;1.000;" + repr(1000 * FACTOR).replace(".", ",")
    )
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--csv-engine", "native"])
    assert exited.value.code == 2
    assert "plain path only, not with --csv-engine native" in capsys.readouterr().err


def test_the_native_engine_from_the_environment_is_named(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("EQUIVMETRICS_CSV_ENGINE", "native")
    source = tmp_path / "de.csv"
    source.write_text("kWh\n1,5\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not with EQUIVMETRICS_CSV_ENGINE=native"):
        run_batch(ENGINE, str(source), column="kWh", unit="kWh", to=[("co2e", None)],
                  output=str(tmp_path / "o.csv"), decimal=",")  # fmt: skip


def test_convert_csv_takes_decimal_in_python_words(tmp_path: Path) -> None:
    source = tmp_path / "de.csv"
    source.write_text("Zähler;kWh\nWest;1.000\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    summary = convert_csv(source, out, column="kWh", unit="kWh", to="co2e:kg",
                             delimiter=";", decimal=",")  # fmt: skip
    assert (summary.rows, summary.converted) == (1, 1)
    assert (
        out.read_text(encoding="utf-8")
        .splitlines()[1]
        .endswith(repr(1000 * FACTOR).replace(".", ","))
    )
    with pytest.raises(em.InputValueError, match="decimal=';': use"):
        convert_csv(source, out, column="kWh", unit="kWh", to="co2e", decimal=";")
