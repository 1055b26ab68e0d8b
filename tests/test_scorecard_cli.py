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


#: The example's numbers with decimals and thousands (worked: 170.5 hours, 1,200 seats ...).
DECIMALS = (
    "period,team,active_users,licensed_seats,hours_saved\n"
    "2026-02,Onboarding,1044,1250,170.5\n"
    "2026-02,Support,25,50,100.25\n"
    "2026-02,Billing,10,20,50\n"
    "2026-03,Onboarding,1045,1250,1180.75\n"
    "2026-03,Support,30,50,120.5\n"
    "2026-03,Billing,10,20,50\n"
)


def _as_exported(separator: str, decimal: str, thousands: str) -> str:
    """:data:`DECIMALS` as a spreadsheet set to another language exports it."""
    lines = []
    for line in DECIMALS.splitlines():
        cells = line.split(",")
        for index, cell in enumerate(cells[2:], start=2):
            whole, _, fraction = cell.partition(".")
            if whole.isdigit() and len(whole) > 3:
                whole = whole[:-3] + thousands + whole[-3:]
            cells[index] = whole + (decimal + fraction if fraction else "")
        quoted = [f'"{c}"' if separator in c else c for c in cells]
        lines.append(separator.join(quoted))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("separator", "decimal", "thousands"),
    [(";", ",", "."), ("\t", ",", "."), (";", ",", "\u00a0"), (",", ".", ","), (";", ",", "")],
    ids=["German ;", "German tab", "French ;", "English quoted", "decimal comma only"],
)
def test_numbers_are_read_as_the_spreadsheet_that_exported_them_wrote_them(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    separator: str,
    decimal: str,
    thousands: str,
) -> None:
    """``1.045`` seats and ``120,5`` hours in a ``;`` file that writes decimal commas are the
    same scorecard as ``1045`` and ``120.5`` in a comma-separated one."""
    plain = tmp_path / "plain.csv"
    plain.write_text(DECIMALS, encoding="utf-8")
    assert main(["scorecard", str(plain), *PACK, "--json"]) == 0
    expected = json.loads(capsys.readouterr().out)
    support = next(t for t in expected["scores"][0]["teams"] if t["team"] == "Support")
    assert support["value"] == 30 / 50  # worked by hand: active_users / licensed_seats
    exported = tmp_path / "exported.csv"
    exported.write_text(_as_exported(separator, decimal, thousands), encoding="utf-8")
    assert "120,5" in exported.read_text(encoding="utf-8") or separator == ","
    assert main(["scorecard", str(exported), *PACK, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == expected


def test_dots_a_file_does_not_settle_are_refused_at_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``1.250`` seats in a ``;`` file with no decimal comma anywhere: 1250, or 1.25? Refused,
    naming the file, line and column, rather than guessed."""
    path = tmp_path / "teams.csv"
    text = Path(TEAMS).read_text(encoding="utf-8").replace(",", ";")
    path.write_text(text.replace("2026-03;Support;30;50;", "2026-03;Support;30;1.250;"), "utf-8")
    with pytest.raises(SystemExit) as exited:  # a usage error, as a bad header is
        main(["scorecard", str(path), *PACK])
    assert exited.value.code == 2
    message = capsys.readouterr().err
    assert f"{path}, line 6: licensed_seats '1.250' could be 1250" in message
    assert "or 1.25 (a decimal point), and the file's other numbers do not tell which" in message
    assert "write it without thousands separators" in message


HEADER = "period;team;active_users;licensed_seats;hours_saved"


def _hours(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> dict[str, float]:
    """Each team's hours saved in 2026-03, as the scorecard read them from ``text``."""
    path = tmp_path / "teams.csv"
    path.write_text(text, encoding="utf-8")
    assert main(["scorecard", str(path), *PACK, "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)["scores"]
    hours = next(s for s in scores if s["indicator"] == "hours_saved")
    return {team["team"]: team["value"] for team in hours["teams"]}


def test_only_the_indicators_numbers_say_how_the_file_writes_decimals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A note "sites 1,2" is no decimal comma, and a column no indicator reads is neither
    read nor refused: 1.250 hours stay unsettled (refused) with the note, and a release
    "2.100" next to them stops nothing."""
    noted = f"{HEADER};note\n2026-03;A;45;50;1.250;\n2026-03;B;30;50;120;sites 1,2\n"
    with pytest.raises(SystemExit):
        _hours(tmp_path, capsys, noted)
    assert "hours_saved '1.250' could be 1250" in capsys.readouterr().err
    released = f"{HEADER};release\n2026-03;A;45;50;100;2.100\n2026-03;B;30;50;120;2.0\n"
    assert _hours(tmp_path, capsys, released) == {"A": 100.0, "B": 120.0}


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (("1.250", "120,5"), {"A": 1250.0, "B": 120.5}),  # 120,5 settles it: dots are thousands
        (("1,250", "120,5"), {"A": 1.25, "B": 120.5}),
        (("1,250", "3.5"), {"A": 1250.0, "B": 3.5}),  # 3.5 settles it: commas are thousands
        (("1.250.000", "7"), {"A": 1250000.0, "B": 7.0}),  # two groups: only thousands
    ],
)
def test_one_group_of_three_is_read_as_the_files_other_numbers_settle(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cells: tuple[str, str],
    expected: dict[str, float],
) -> None:
    text = f"{HEADER}\n2026-03;A;45;50;{cells[0]}\n2026-03;B;30;50;{cells[1]}\n"
    assert _hours(tmp_path, capsys, text) == expected


def test_text_no_reading_settles_is_advised_in_the_command_lines_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ "1,2,5" hours: no number at all; the advice is the command line's, not pandas'."""
    text = f"{HEADER}\n2026-03;A;45;50;1,2,5\n2026-03;B;30;50;120\n"
    path = tmp_path / "teams.csv"
    path.write_text(text, encoding="utf-8")
    message = _error(capsys, ["scorecard", str(path), *PACK])
    assert "hours_saved must be a number for team 'A' in 2026-03, not '1,2,5'" in message
    assert "write it as a number the file's other numbers settle" in message
    assert "pandas" not in message
    assert "equivmetrics scorecard FILE" not in message


def test_an_english_tab_exports_thousands_comma_is_refused_when_nothing_settles_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = HEADER.replace(";", "\t") + "\n2026-03\tA\t45\t50\t1,250\n2026-03\tB\t30\t50\t120\n"
    with pytest.raises(SystemExit) as exited:
        _hours(tmp_path, capsys, text)
    assert exited.value.code == 2
    message = capsys.readouterr().err
    assert (
        "line 2: hours_saved '1,250' could be 1250 (commas separating thousands) or 1.25" in message
    )


@pytest.mark.parametrize("argv", [["scorecard"], [*REPORT, "--scorecard"]])
def test_a_file_in_a_windows_code_page_is_refused_with_the_way_to_save_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """German Excel's plain CSV export is Windows-1252: "Büro" is one byte 0xFC there."""
    path = tmp_path / "teams.csv"
    text = Path(TEAMS).read_text(encoding="utf-8").replace("Support", "Büro")
    path.write_bytes(text.encode("cp1252"))
    with pytest.raises(SystemExit) as exited:
        main([*argv, str(path), *PACK])
    assert exited.value.code == 2
    offset = text.encode("cp1252").index("ü".encode("cp1252"))
    message = capsys.readouterr().err
    assert f"{path} is not UTF-8 text (at byte offset {offset}); save it as UTF-8" in message
    assert "give its encoding (--encoding cp1252" in message
    assert "Traceback" not in message
    assert main([*argv, str(path), *PACK, "--encoding", "cp1252", "--tolerance", "0.05"]) == 0
    assert "Büro" in capsys.readouterr().out  # the team, read in its code page
    with pytest.raises(SystemExit) as exited:
        main([*argv, str(path), *PACK, "--encoding", "klingon"])
    assert exited.value.code == 2
    assert "--encoding 'klingon' is not a known text encoding" in capsys.readouterr().err


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
