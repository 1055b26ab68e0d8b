"""``equivmetrics scorecard`` and ``report --scorecard``: advice in the command line's words,
CSV files with any usual separator, errors at the file's line, the weak-link rule's options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from equivmetrics._integrations.cli import main
from equivmetrics._integrations.cli_parser import build_parser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PACK = ["--pack", str(EXAMPLES / "cs_scorecard.yaml")]
TEAMS = str(EXAMPLES / "teams.csv")
REPORT = ["report", "--values", "2026-03:100", "--unit", "hour", "--of", "manual_work"]


def _error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 1
    return capsys.readouterr().err


# -- 4. advice that works on the command line ------------------------------------------------------


@pytest.mark.parametrize("argv", [["scorecard", TEAMS], [*REPORT, "--scorecard", TEAMS]])
def test_no_indicators_advises_a_pack_not_python(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    message = _error(capsys, argv)
    assert "--pack FILE" in message
    assert "indicators:" in message
    assert "em.Indicator" not in message
    assert "indicators=[" not in message


def test_one_team_advises_the_reference_option(capsys: pytest.CaptureFixture[str]) -> None:
    message = _error(capsys, ["scorecard", TEAMS, *PACK, "--team", "Support"])
    assert "use --reference target" in message
    assert "reference='target'" not in message
    assert main(["scorecard", TEAMS, *PACK, "--team", "Support", "--json"]) == 1
    error = json.loads(capsys.readouterr().out)["error"]
    assert error["problem"] == "too_few_teams"
    assert "use --reference target" in error["message"]


def test_a_missing_target_advises_the_reference_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "no_target.yaml"
    text = (EXAMPLES / "cs_scorecard.yaml").read_text(encoding="utf-8")
    pack.write_text(text.replace("    target: 0.8\n", ""), encoding="utf-8")
    message = _error(capsys, ["scorecard", TEAMS, "--pack", str(pack), "--reference", "target"])
    assert "--reference target needs a target for active_use" in message
    assert "or use --reference median" in message


# -- 5. semicolons and tabs ------------------------------------------------------------------------


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files_read_like_commas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], separator: str
) -> None:
    assert main(["scorecard", TEAMS, *PACK, "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    path = tmp_path / "teams.csv"
    text = Path(TEAMS).read_text(encoding="utf-8").replace(",", separator)
    path.write_text(text, encoding="utf-8")
    assert main(["scorecard", str(path), *PACK, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got == expected
    assert got["teams"] == ["Onboarding", "Support", "Billing"]


def test_a_header_without_period_and_team_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "teams.csv"
    path.write_text("Periode;Team;Aktive\n2026-03;A;1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["scorecard", str(path), *PACK])
    assert exited.value.code == 2
    message = capsys.readouterr().err
    assert "the header found is 'Periode', 'Team', 'Aktive'" in message


# -- 6. the file's line ----------------------------------------------------------------------------


def test_a_duplicate_team_names_the_files_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "teams.csv"
    path.write_text(
        "period,team,active_users,licensed_seats,hours_saved\n"  # line 1
        "2026-03,Support,30,50,120\n"  # line 2
        "2026-03,Support,31,50,120\n",  # line 3
        encoding="utf-8",
    )
    message = _error(capsys, ["scorecard", str(path), *PACK])
    assert f"{path}, line 3: team 'Support' appears twice in 2026-03" in message
    assert "row 2" not in message


# -- 7. the rule's options on report ---------------------------------------------------------------


def test_report_takes_the_rule_options_of_scorecard(capsys: pytest.CaptureFixture[str]) -> None:
    _parser, commands = build_parser()
    for option in ("--reference", "--tolerance", "--signed"):
        report = next(a for a in commands["report"]._actions if option in a.option_strings)
        scorecard = next(a for a in commands["scorecard"]._actions if option in a.option_strings)
        assert (report.choices, report.type, report.nargs, report.default) == (
            scorecard.choices,
            scorecard.type,
            scorecard.nargs,
            scorecard.default,
        )
    # with the docs' tolerance 0.05, Support (0.60 < 0.70 - 0.05) and Billing are weak links
    assert main([*REPORT, *PACK, "--scorecard", TEAMS, "--tolerance", "0.05"]) == 0
    text = capsys.readouterr().out
    assert "Support: Active users 60.0 %, reference 70.0 %" in text
    assert "Billing: Active users 50.0 %, reference 75.0 %" in text
    # with the default 0.10 Support (0.60 is not below 0.60) is not
    assert main([*REPORT, *PACK, "--scorecard", TEAMS]) == 0
    assert "Support: Active users" not in capsys.readouterr().out
    assert main([*REPORT, *PACK, "--scorecard", TEAMS, "--tolerance", "0.05", "--signed"]) == 0
    assert "Net loss if every team used it like the rest" in capsys.readouterr().out
    assert main([*REPORT, *PACK, "--scorecard", TEAMS, "--reference", "target"]) == 0
    assert "If Support and Billing used it at target:" in capsys.readouterr().out


def test_report_rule_options_need_a_scorecard(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*REPORT, "--tolerance", "0.05"])
    assert exited.value.code == 2
    assert "--tolerance set the scorecard's weak-link rule: use with --scorecard" in (
        capsys.readouterr().err
    )
