"""The command line, run as a subprocess the way other tools run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACK = ROOT / "docs" / "examples" / "support_desk.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "equivmetrics", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version() -> None:
    import equivmetrics as em

    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"equivmetrics {em.__version__}"


def test_demo_prints_the_product_brief_figures() -> None:
    done = run("demo")
    assert done.returncode == 0, done.stderr
    # 12,000 x 3 min = 600 h/month; x 12 / 2,080 = 3.462 FTE; x $48.05 = $28,830/month
    assert "600 hour/month" in done.stdout
    assert "3.462 FTE" in done.stdout
    assert "28,830 USD/month" in done.stdout


def test_convert_json_is_the_result_dict() -> None:
    done = run("convert", "12000 transaction/month", "fte", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "equivmetrics.result/1"
    assert data["kind"] == "fte"
    assert data["magnitude"] == pytest.approx(12000 * 3 / 60 * 12 / 2080, rel=1e-12)
    assert [s["rule"] for s in data["steps"]] == ["transaction_manual_work", "manual_work_fte"]


def test_param_override_and_pack() -> None:
    done = run(
        "convert",
        "900 ticket/month",
        "manual_work",
        "--pack",
        str(EXAMPLE_PACK),
        "--param",
        "minutes_per_ticket=10 min/ticket",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["magnitude"] == pytest.approx(150.0)  # 900 x 10 min


def test_explain_names_every_parameter_and_source() -> None:
    done = run("explain", "12000 transaction/month", "labor_cost")
    assert done.returncode == 0, done.stderr
    for needle in (
        "minutes_per_transaction",
        "hourly_labor_cost",
        "Bureau of Labor Statistics",
        "28,830 USD/month",
    ):
        assert needle in done.stdout


def test_conversion_error_exits_1_with_the_message() -> None:
    done = run("convert", "600 hour", "fte", "--of", "manual_work")
    assert done.returncode == 1
    assert "needs a period" in done.stderr
    assert "--per month" in done.stderr


def test_conversion_error_as_json() -> None:
    done = run("convert", "12 kWhh", "fte", "--json")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "UnitError"
    assert "kWhh" in error["message"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("convert", "12 kWh"), "the following arguments are required: to"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("convert", "1 FTE", "labor_cost", "--param", "oops"), "--param 'oops'"),
    ],
)
def test_usage_errors_exit_2_naming_the_argument(args: tuple[str, ...], needle: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert needle in done.stderr


def test_validate_ok_and_failing(tmp_path: Path) -> None:
    done = run("validate", str(EXAMPLE_PACK))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok: ")
    broken = tmp_path / "broken.yaml"
    text = EXAMPLE_PACK.read_text(encoding="utf-8").replace(
        "expect: 180 hour/month", "expect: 170 hour/month"
    )
    broken.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  - given: 900 ticket/month") + 1
    done = run("validate", str(broken), "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert not report["ok"]
    [problem] = report["problems"]
    assert problem["location"].startswith(f"{broken}:{line}:")
    assert "expected 170 hour/month" in problem["message"]


def test_packs_lists_parameters_with_sources() -> None:
    done = run("packs", "--json")
    assert done.returncode == 0, done.stderr
    packs = {p["name"]: p for p in json.loads(done.stdout)}
    param = packs["productivity"]["parameters"]["hours_per_fte_year"]
    assert param["value"] == "2080 hour/FTE/year"
    assert "Government Accountability Office" in param["source"]
