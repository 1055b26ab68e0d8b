"""The command line, run as a subprocess the way other tools run it."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from equivmetrics._integrations.cli_parser import build_parser as _parser

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
    # 12,000 x 3 min = 600 h/month; x 12 / 1,878.50 h worked per FTE-year (2,080 paid hours
    # / (1 + 3.44 / 32.07)) = 3.83 -> 3.8 FTE; x $45.65 per hour worked = $27,390 -> $27,000
    assert "600 hours of manual work eliminated a month" in done.stdout
    assert "3.8 full-time employees you did not need to hire" in done.stdout
    assert "$27,000 of labour cost avoided a month" in done.stdout
    # 12,400 kWh x 7.0869e-4 t/kWh / 0.060493 t per seedling = 145 -> 150 (wide range)
    assert "150 tree seedlings grown for 10 years" in done.stdout
    # 420 kcal / (4.8 MET x 70 kg) = 1.25 h; / (8.5 x 70) = 42 min
    assert "1 h 15 min of brisk walking" in done.stdout
    assert "42 minutes of running" in done.stdout


def test_demo_json() -> None:
    done = run("demo", "--json")
    assert done.returncode == 0, done.stderr
    sections = json.loads(done.stdout)
    assert [s["role"] for s in sections] == ["feel_good", "feel_good", "action"]
    assert all(
        e["schema"] == "equivmetrics.equivalent/1" for s in sections for e in s["equivalents"]
    )


def test_feel_good_and_action_commands() -> None:
    done = run("feel-good", "12400 kWh", "--top", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "≈ 8.79 metric tons of CO2 equivalent kept out of the air (range 7.87–9.67)",
        "≈ CO2 absorbed by 150 tree seedlings grown for 10 years (range 110–200)",
    ]
    done = run("action", "420 kcal", "--only", "running", "--json", "--param", "body_mass=140 kg")
    assert done.returncode == 0, done.stderr
    [running] = json.loads(done.stdout)
    # 420 / (8.5 x 140) h = 21.18 min: twice the mass, half the minutes
    assert running["magnitude"] == pytest.approx(420 / (8.5 * 140) * 60, rel=1e-9)
    # the mass is now exact; the MET range (8.3-9.3) and the 1-1.05 kcal convention leave
    # 18.4-21.7 min: narrow (half-width 8 %), so 3 figures and no range shown
    assert running["text"] == "21.2 minutes of running to burn it off"


def test_convert_json_is_the_result_dict() -> None:
    done = run("convert", "12000 transaction/month", "fte", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "equivmetrics.result/1"
    assert data["kind"] == "fte"
    # 600 h/month x 12 / (2,080 x 32.07 / 35.51 = 1,878.50 h worked per FTE-year) = 3.8328
    assert data["magnitude"] == pytest.approx(12000 * 3 / 60 * 12 / (2080 * 32.07 / 35.51))
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
        "labor_cost_per_hour_worked",
        "paid_leave_per_hour_worked",
        "Bureau of Labor Statistics",
        "Government Accountability Office",
        "27,390 USD/month",  # 600 h x $45.65 per hour worked
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


def test_no_feel_good_equivalents_exits_1_naming_the_action_command() -> None:
    # Issue 13: feel-good "420 kcal" printed nothing and exited 0
    done = run("feel-good", "420 kcal")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "420 kcal of food_energy has no feel_good equivalents" in done.stderr
    assert "it has action equivalents" in done.stderr


def test_joules_without_of_are_an_ambiguous_kind() -> None:
    # Issue 13: "1 GJ" was read as food energy; a joule could be food, fuel or electricity
    done = run("action", "1 GJ", "--json")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "AmbiguousKindError"
    # the command line's own words: --of, not Python's of=
    for name in ("food_energy", "electricity_avoided", "natural_gas", "--of food_energy"):
        assert name in error["message"]


def test_a_unit_the_target_refuses_is_refused_on_the_command_line() -> None:
    # Issue 13: --unit barrel answered in 31.5-gallon barrels
    done = run("convert", "1 t", "gasoline", "--unit", "bbl")
    assert done.returncode == 1
    assert "gasoline does not accept unit='bbl'" in done.stderr
    assert "oil_barrel" in done.stderr


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("convert", "12 kWh"), "the following arguments are required: KIND"),
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
    # issue 12: the file's name, never its folder (the "location" text was the path)
    assert (problem["file"], problem["line"]) == ("broken.yaml", line)
    assert "expected 170 hour/month" in problem["message"]


def test_packs_lists_parameters_with_sources() -> None:
    done = run("packs", "--json")
    assert done.returncode == 0, done.stderr
    packs = {p["name"]: p for p in json.loads(done.stdout)}
    param = packs["productivity"]["parameters"]["paid_hours_per_fte_year"]
    assert param["value"] == "2080 hour/FTE/year"
    assert "Government Accountability Office" in param["source"]
    # a derived parameter is listed as the pack writes it
    param = packs["productivity"]["parameters"]["hours_per_fte_year"]
    assert param["value"] == "hours_worked_per_fte_year"


def test_compact_json() -> None:
    done = run("feel-good", "12400 kWh", "--only", "tree_seedling", "--json", "--compact")
    assert done.returncode == 0, done.stderr
    [trees] = json.loads(done.stdout)
    assert trees["schema"] == "equivmetrics.equivalent.compact/1"
    assert "steps" not in trees
    assert trees["icon"] == "seedling"
    done = run("convert", "12000 transaction/month", "manual_work", "--json", "--compact")
    data = json.loads(done.stdout)
    # 12,000 x 3 min = 600 h a month
    assert (data["schema"], data["magnitude"]) == ("equivmetrics.result.compact/1", 600.0)
    refused = run("convert", "12000 transaction/month", "manual_work", "--compact")
    assert refused.returncode == 2
    assert "--compact chooses the shape of the JSON: use it with --json" in refused.stderr


def test_packs_marks_a_tenant_setting_and_names_files_without_folders() -> None:
    done = run("packs", "--json", "--param", "body_mass=80 kg")
    assert done.returncode == 0, done.stderr
    packs = {p["name"]: p for p in json.loads(done.stdout)}
    assert packs["pace"]["file"] == "pace.yaml"
    assert packs["pace"]["parameters"]["body_mass"] == {
        "value": "80 kg",
        "low": None,
        "high": None,
        "source": None,
        "origin": "tenant",
    }
    assert packs["pace"]["parameters"]["met_running"]["origin"] == "pack"


# -- every command, JSON parsed and checked ------------------------------------------------------


def test_convert_json_hand_worked() -> None:
    done = run("convert", "12000 transaction/month", "manual_work", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    # productivity pack: 3 min per transaction; 12,000 x 3 min = 36,000 min = 600 h a month
    assert data["magnitude"] == pytest.approx(600.0, rel=1e-12)
    assert data["unit"] == "hour/month"
    assert data["input"] == {
        "kind": "transaction",
        "magnitude": 12000.0,
        "unit": "transaction/month",
    }


def test_explain_json_adds_the_explanation() -> None:
    done = run("explain", "420 kcal", "walking", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    # PACE: 420 kcal / (4.8 MET x 70 kg x 1 kcal/kg/h) = 1.25 h = 75 min
    assert data["magnitude"] == pytest.approx(75.0, rel=1e-12)
    assert "body_mass = 70 kilogram" in data["explanation"]
    assert data["explanation"].endswith("Result: 75 minute (range 48.48–110.5) of walking")


def test_feel_good_json() -> None:
    done = run("feel-good", "12400 kWh", "--only", "co2e", "--json")
    assert done.returncode == 0, done.stderr
    [co2e] = json.loads(done.stdout)
    # AVERT 2019: 1,562.4 lb/MWh x 12.4 MWh x 0.45359237 kg/lb = 8.788 t
    assert co2e["magnitude"] == pytest.approx(12.4 * 1562.4 * 0.45359237 / 1000, rel=1e-12)
    assert co2e["role"] == "feel_good"


def test_demo_locale() -> None:
    done = run("demo", "--locale", "pl")
    assert done.returncode == 0, done.stderr
    assert "8,79 metric tons of CO2 equivalent" in done.stdout  # Polish decimal comma


def test_packs_human_output_is_aligned() -> None:
    done = run("packs")
    assert done.returncode == 0, done.stderr
    tables = [block.splitlines() for block in done.stdout.strip().split("\n\n")]
    assert [t[0].split()[0] for t in tables] == ["PACK", "KIND", "PARAMETER"]
    for table in tables:
        header = table[0]
        starts = [i for i in range(1, len(header)) if header[i] != " " and header[i - 1] == " "]
        for row in table[1:]:
            for start in starts:  # every column starts where its heading does
                assert row[start - 2 : start] == "  ", (row, start)
                assert row[start] != " ", (row, start)
    assert any(row.split()[:2] == ["transaction", "productivity"] for row in tables[1])
    assert any(row.startswith("hours_per_fte_year ") for row in tables[2])


def test_packs_param_override_is_shown() -> None:
    done = run("packs", "--json", "--param", "hours_per_fte_year=1800 hour/FTE/year")
    assert done.returncode == 0, done.stderr
    packs = {p["name"]: p for p in json.loads(done.stdout)}
    param = packs["productivity"]["parameters"]["hours_per_fte_year"]
    # issue 12 adds "origin": the tenant's own setting, not a figure of the pack
    assert param == {
        "value": "1800 hour/FTE/year",
        "low": None,
        "high": None,
        "source": None,
        "origin": "tenant",
    }


def test_methodology_json() -> None:
    done = run("methodology", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "equivmetrics.methodology/1"
    assert data["markdown"] == (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")


def test_console_script_and_module_agree() -> None:
    script = Path(sys.executable).parent / "equivmetrics"
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0
    assert done.stdout == run("--version").stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("explain", "12 kWh"), "the following arguments are required: KIND"),
        (("convert",), "the following arguments are required: QUANTITY, KIND"),
        (("action", "420 kcal", "--top", "two"), "argument --top: invalid int value: 'two'"),
        (("convert", "1 kWh", "co2e", "--negative", "sometimes"), "argument --negative"),
        (("feel-good", "1 kWh", "--frobnicate"), "unrecognized arguments: --frobnicate"),
        (("batch", "in.csv", "--unit", "kWh", "--to", "co2e", "-o", "x"), "--column"),
        (("convert", "1 kWh", "co2e", "--param", "=3"), "--param '=3'"),
        (("convert", "-", "co2e"), "use it with --json"),
    ],
)
def test_more_usage_errors_exit_2(args: tuple[str, ...], needle: str) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert needle in done.stderr
    assert done.stdout == ""


def test_negative_override() -> None:
    done = run("convert", "-10 kWh", "co2e")
    assert done.returncode == 1
    assert "negative" in done.stderr
    done = run("convert", "-10 kWh", "co2e", "--negative", "allow", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["magnitude"] == pytest.approx(-10 * 1562.4 * 0.45359237e-6)


def test_json_errors_are_strict_json() -> None:
    done = run("feel-good", "12 kWh", "--locale", "xx_NOPE", "--json")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert "xx_NOPE" in error["message"]


# -- the reference in docs/cli.md matches the parser ---------------------------------------------


def _rows(parser: argparse.ArgumentParser) -> list[str]:
    formatter = parser._get_formatter()
    return [
        f"| `{formatter._format_action_invocation(action)}` | {action.help} |"
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction)
    ]


def _doc_tables() -> dict[str, list[str]]:
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    reference = text.split("## Reference", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, list[str]] = {}
    section = ""
    for line in reference.splitlines():
        if line.startswith("### `equivmetrics "):
            section = line.removeprefix("### `equivmetrics ").rstrip("`")
        elif line.startswith("| `"):
            tables.setdefault(section, []).append(line)
    return tables


def test_the_cli_reference_matches_the_parser() -> None:
    parser, commands = _parser()
    tables = _doc_tables()
    empty = [row for rows in tables.values() for row in rows if row.endswith(("| None |", "|  |"))]
    assert not empty, f"docs/cli.md: rows without a meaning: {empty}"
    assert tables.pop("") == _rows(parser)
    assert list(tables) == list(commands), "one section per command, in the parser's order"
    for name, command in commands.items():
        assert tables[name] == _rows(command), f"docs/cli.md: the table of {name!r} is stale"


def test_advice_with_no_option_is_said_in_the_command_lines_words() -> None:
    """engine.kinds and engine.with_rates(...) are Python: the command line names its
    packs command, and says it exchanges no currencies."""
    done = run("convert", "5 kWh", "tree_seedling", "--region", "GB", "--json")
    assert done.returncode == 1
    message = json.loads(done.stdout)["error"]["message"]
    assert "(`equivmetrics packs` lists the kinds, for the same --region and --edition)" in message
    assert "engine.kinds" not in message
    done = run("convert", "12000 transaction/month", "labor_cost", "--unit", "USD/month",
               "--param", "hourly_labor_cost=55 EUR/hour")  # fmt: skip
    assert done.returncode == 1
    assert "is an amount in EUR, asked for in USD: currencies are never exchanged" in done.stderr
    assert "the command line exchanges none: give every money figure in one currency" in (
        done.stderr
    )
    assert "engine.with_rates(" not in done.stderr


def test_a_refused_negative_says_the_command_line_option() -> None:
    done = run("convert", "-5 kWh", "co2e", "--json")
    assert done.returncode == 1
    error = json.loads(done.stdout)["error"]
    assert error["code"] == "NegativeValueError"
    assert "kind 'electricity_avoided' refuses negative amounts" in error["message"]
    assert "pass --negative nan" in error["message"]
    assert "negative='" not in error["message"]
    allowed = run("convert", "-5 kWh", "co2e", "--json", "--negative", "allow")
    assert allowed.returncode == 0
    # -5 kWh x 1,562.4 lb/MWh = -7.812 lb = -0.0035434... t (reference/epa-ghg-equivalencies.md)
    assert json.loads(allowed.stdout)["magnitude"] == pytest.approx(-5e-3 * 1562.4 * 0.45359237e-3)


def test_limit_lowers_and_raises_the_pack_limits() -> None:
    size = EXAMPLE_PACK.stat().st_size
    refused = run(
        "validate", str(EXAMPLE_PACK), "--no-bundled", "--limit", f"max_bytes={size - 1}", "--json"
    )
    assert refused.returncode == 1
    (problem,) = json.loads(refused.stdout)["problems"]
    assert problem["file"] == EXAMPLE_PACK.name  # issue 12: no folder (it was the path)
    assert f"over the limit of {size - 1}" in problem["message"]
    allowed = run("validate", str(EXAMPLE_PACK), "--limit", "max_bytes=10_000_000")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    pack = ("--pack", str(EXAMPLE_PACK))
    shallow = run("convert", "900 ticket/month", "manual_work", *pack, "--limit", "max_depth=2")
    assert shallow.returncode == 1  # the packs nest deeper than 2 levels: refused
    assert "nested deeper than 2 levels" in shallow.stderr
    deep = run("convert", "900 ticket/month", "manual_work", *pack, "--limit", "max_depth=64")
    assert deep.returncode == 0, deep.stderr
    # the pack's own example: 900 tickets x 12 min = 180 hours a month
    assert deep.stdout.startswith("180 hour/month of manual_work")


@pytest.mark.parametrize(
    ("limit", "needle"),
    [
        ("max_files=3", "--limit 'max_files=3': expected NAME=N with NAME one of max_bytes"),
        ("max_bytes", "--limit 'max_bytes': expected NAME=N"),
        ("max_nodes=0", "--limit 'max_nodes=0': N must be a whole number of at least 1"),
        ("max_depth=deep", "--limit 'max_depth=deep': N must be a whole number"),
    ],
)
def test_a_bad_limit_is_a_usage_error(limit: str, needle: str) -> None:
    done = run("packs", "--limit", limit)
    assert done.returncode == 2
    assert needle in done.stderr


@pytest.mark.parametrize(
    ("command", "options", "named"),
    [
        ("convert", ("--negative", "nan", "--unit", "kg"), "drop --unit, --negative"),
        ("convert", ("--per", "month"), "drop --per"),
        ("feel-good", ("--top", "2", "--locale", "pl"), "drop --top, --locale"),
        ("action", ("--only", "walking"), "drop --only"),
    ],
)
def test_a_stream_refuses_options_meant_for_one_quantity(
    command: str, options: tuple[str, ...], named: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", command, "--json", "-", *options],
        input='{"quantity": "5 kWh", "to": "co2e"}\n',
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert named in done.stderr
    assert done.stdout == ""
