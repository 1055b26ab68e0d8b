"""``equivmetrics.batch.convert_csv``: the batch command as a Python function — the same files,
options as keyword arguments, errors in Python's words, progress when asked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics.batch import Summary, convert_csv

pytestmark = pytest.mark.usefixtures("csv_engine")


@pytest.fixture
def meters(tmp_path: Path) -> Path:
    path = tmp_path / "meters.csv"
    path.write_text("site,kwh\nA,1000\nB,oops\nC,2500\n", encoding="utf-8")
    return path


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_it_writes_what_the_command_writes(meters: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    summary = convert_csv(meters, out, column="kwh", unit="kWh", to="co2e:kg", progress=False)
    assert isinstance(summary, Summary)
    assert (summary.rows, summary.converted, summary.rejected) == (3, 2, 1)
    rows = _rows(out)
    assert rows[0] == ["site", "kwh", "co2e [kg]"]
    # EPA's avoided-electricity rate: 1,562.4 lb/MWh / 2,204.6 lb/t = 0.7087 kg per kWh
    assert float(rows[1][2]) == pytest.approx(708.7, rel=1e-3)
    assert rows[2] == ["B", "oops", ""]
    assert float(rows[3][2]) == pytest.approx(2.5 * 708.7, rel=1e-3)
    rejects = _rows(Path(f"{out}.rejects.csv"))
    assert rejects[0] == ["line", "reason", "site", "kwh"]
    assert rejects[1][0] == "3"  # the header is line 1
    # the command line gives the same files
    from equivmetrics._integrations.cli import main

    cli_out = tmp_path / "cli.csv"
    code = main(["batch", str(meters), "--column", "kwh", "--unit", "kWh", "--to", "co2e:kg",
                 "-o", str(cli_out), "--no-progress"])  # fmt: skip
    assert code == 1  # a row was rejected
    assert cli_out.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    "to",
    [
        "co2e:kg,tree_seedling",
        ["co2e:kg", "tree_seedling"],
        [("co2e", "kg"), ("tree_seedling", None)],
        ("co2e:kg", "tree_seedling"),
    ],
)
def test_targets_in_any_form(meters: Path, tmp_path: Path, to: object) -> None:
    out = tmp_path / "out.csv"
    summary = convert_csv(str(meters), str(out), column="kwh", unit="kWh", to=to,  # type: ignore[arg-type]
                          of="electricity_avoided", progress=False)  # fmt: skip
    assert [(t["kind"], t["column"]) for t in summary.targets] == [
        ("co2e", "co2e [kg]"),
        ("tree_seedling", "tree_seedling [count]"),
    ]
    assert _rows(out)[0][2:] == ["co2e [kg]", "tree_seedling [count]"]


def test_a_tenant_engine_and_rejects_path(meters: Path, tmp_path: Path) -> None:
    out, bad = tmp_path / "out.csv", tmp_path / "bad.csv"
    engine = em.load().with_params(hourly_labor_cost="60 USD/hour")
    work = tmp_path / "work.csv"
    work.write_text("team,tx\nops,12000\n", encoding="utf-8")
    convert_csv(work, out, column="tx", unit="transaction", to="labor_cost", engine=engine,
                rejects=bad, progress=False)  # fmt: skip
    # 12,000 transactions x 3 min = 600 h x $60 = $36,000
    assert float(_rows(out)[1][2]) == pytest.approx(36000)
    assert bad.exists()
    del meters


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"column": "kWh"}, em.InputValueError,
         r"column='kWh' is not a column of '.*meters\.csv'; its columns are: 'site', 'kwh'"),
        ({"to": "co2e:"}, em.InputValueError, r"to='co2e:': expected KIND or KIND:UNIT"),
        ({"to": []}, em.InputTypeError, r"to= must name kinds"),
        ({"to": [("co2e", 3)]}, em.InputTypeError, r"to= item \('co2e', 3\): give 'kind'"),
        ({"delimiter": ";;"}, em.InputValueError,
         r"delimiter=';;' must be one character other than a quote or newline"),
        ({"encoding": "klingon"}, em.InputValueError,
         r"encoding='klingon' is not a known text encoding"),
        ({"negative": "maybe"}, em.InputValueError, r"negative='maybe': use one of allow"),
        ({"column": 3}, em.InputTypeError, r"column= must be text, got int"),
        ({"output": "-"}, em.InputValueError, r"with output='-' \(standard output\) give rejects="),
        ({"output": 3}, em.InputTypeError, r"output= must be a file path"),
        ({"engine": "us"}, em.InputTypeError, r"engine= must be an Engine .* got str"),
        ({"source": "/nonexistent/in.csv"}, em.InputValueError,
         r"cannot read input '/nonexistent/in\.csv'"),
    ],
)  # fmt: skip
def test_bad_options_say_what_in_pythons_words(
    meters: Path, tmp_path: Path, kwargs: dict[str, object], error: type, message: str
) -> None:
    options: dict[str, object] = {
        "source": meters, "output": tmp_path / "out.csv", "column": "kwh", "unit": "kWh",
        "to": "co2e", "progress": False,
    }  # fmt: skip
    options.update(kwargs)
    with pytest.raises(error, match=message) as info:
        convert_csv(**options)  # type: ignore[arg-type]
    assert isinstance(info.value, em.EquivMetricsError)
    assert "--" not in str(info.value)
    assert not (tmp_path / "out.csv").exists()  # nothing written


def test_progress_true_draws_a_bar(
    meters: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("tqdm")
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    convert_csv(meters, tmp_path / "out.csv", column="kwh", unit="kWh", to="co2e", progress=True)
    assert "batch: 100%" in err.getvalue()
    err.truncate(0)
    convert_csv(meters, tmp_path / "out.csv", column="kwh", unit="kWh", to="co2e", progress=False)
    assert err.getvalue() == ""
