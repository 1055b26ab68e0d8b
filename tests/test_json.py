"""JSON fit to leave the server: no output names a path of the machine it was made on.

Every ``to_dict()`` and every ``--json`` output of the command line is searched for the
repository, the working folder, the user's home, the Python installation (site-packages), the
temporary folder and any other absolute path: a dashboard may show it to anyone. Pack files are
named by their file name and line instead. A tenant's own figures are marked as the tenant's.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import site
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics._integrations.cli import main

ROOT = Path(__file__).resolve().parent.parent
SUPPORT_DESK = ROOT / "docs" / "examples" / "support_desk.yaml"
CLASH = ROOT / "tests" / "packs" / "clash"

#: An absolute path of two parts or more, not inside a URL (``https://host/a/b``) or a unit
#: (``hour/FTE/year``): a slash with no word, dot, slash or colon before it.
ABSOLUTE = re.compile(r"(?<![\w.\-/:])(?:/[\w.\-]+){2,}|[A-Za-z]:\\\\")


def _forbidden(tmp_path: Path) -> list[str]:
    places = {
        str(ROOT),
        os.getcwd(),
        str(Path.home()),
        sys.prefix,
        sys.base_prefix,
        tempfile.gettempdir(),
        str(tmp_path),
        str(Path(em.__file__).parent),
        site.getusersitepackages(),
        *site.getsitepackages(),
    }
    return sorted(place for place in places if place not in ("", "/"))


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _strings(value)


def _assert_no_paths(data: Any, tmp_path: Path) -> None:
    json.dumps(data, allow_nan=False)  # it is JSON
    forbidden = _forbidden(tmp_path)
    for text in _strings(data):
        for place in forbidden:
            assert place not in text, (place, text)
        assert not ABSOLUTE.search(text), text


@pytest.fixture
def user_pack(tmp_path: Path) -> Path:
    """A user's pack in a folder of its own (an absolute path outside the repository)."""
    folder = tmp_path / "customer" / "packs"
    folder.mkdir(parents=True)
    return Path(shutil.copy(SUPPORT_DESK, folder / "support_desk.yaml"))


def test_the_checker_finds_paths(tmp_path: Path) -> None:
    for leak in (
        {"x": str(ROOT / "conversions" / "productivity.yaml")},
        [f"at {tmp_path}/a.yaml:3:5"],
        {"/srv/app/packs/a.yaml": 1},
    ):
        with pytest.raises(AssertionError):
            _assert_no_paths(leak, tmp_path)
    _assert_no_paths(
        {
            "unit": "hour/FTE/year",
            "url": "https://www.gao.gov/special.pubs/x/fte.htm",
            "f": "1 / a",
        },
        tmp_path,
    )


# -- every to_dict() --------------------------------------------------------------------------


def test_results_and_equivalents_name_packs_not_paths(user_pack: Path, tmp_path: Path) -> None:
    import numpy as np

    engine = em.load(user_pack)
    tenant = engine.with_params(minutes_per_ticket="10 min", hourly_labor_cost="55 USD/hour")
    outputs: list[Any] = []
    for e in (engine, tenant):
        for compact in (False, True):
            outputs.append(e.convert("900 ticket/month", "labor_cost").to_dict(compact=compact))
            outputs.append(
                e.convert((np.array([1.0, 2.0]), "ticket"), "manual_work").to_dict(compact=compact)
            )
            outputs.append(e.feel_good("900 ticket/month").to_dicts(compact=compact))
            outputs.append(e.action("420 kcal").to_dicts(compact=compact))
            outputs.append(e.feel_good("12400 kWh")[0].to_dict(compact=compact))
    _assert_no_paths(outputs, tmp_path)
    step = outputs[0]["steps"][0]
    # 900 tickets x 12 min (support_desk.yaml) = 180 h: the first rule is the user pack's own
    assert step["rule"] == "ticket_manual_work"
    assert step["defined_in"] == {
        "pack": "support_desk",
        "file": "support_desk.yaml",
        "line": SUPPORT_DESK.read_text("utf-8").splitlines().index("  - id: ticket_manual_work")
        + 1,
        "column": 5,
    }
    assert outputs[0]["steps"][1]["defined_in"]["file"] == "productivity.yaml"


def test_features_name_packs_not_paths(user_pack: Path, tmp_path: Path) -> None:
    engine = em.load(user_pack)
    series = engine.series({"2026-01": 900, "2026-02": 800}, "manual_work", unit="ticket")
    scenario = em.Scenario.from_usage(engine, "900 ticket/month", costs=(1000, 100, 100, 100))
    reward = engine.rewards["extra_leave"].apply(engine.convert("900 ticket", "manual_work"))
    _assert_no_paths(
        [
            series.to_dict(),
            scenario.to_dict(),
            [outcome.to_dict() for outcome in scenario.run()],
            reward.to_dict(),
        ],
        tmp_path,
    )


def test_pack_errors_name_files_not_paths(tmp_path: Path) -> None:
    folder = tmp_path / "clash"
    shutil.copytree(CLASH, folder)
    broken = tmp_path / "broken.yaml"
    broken.write_text("equivmetrics: 1\nname: [unclosed\n", encoding="utf-8")
    errors = []
    for paths in (
        [folder / "first.yaml", folder / "second.yaml"],  # one refers to the other's place
        [broken],
        [tmp_path / "missing.yaml"],
        [folder],
    ):
        with pytest.raises(em.PackError) as info:
            em.load(*paths, bundled=False)
        assert str(tmp_path) in str(info.value)  # at the terminal, the whole path
        errors.append(info.value.to_dict())
    _assert_no_paths(errors, tmp_path)
    [clash] = errors[0]["problems"]
    # tests/packs/clash: both packs define kind 'thing' on line 6, column 3
    assert (clash["file"], clash["line"], clash["column"]) == ("second.yaml", 6, 3)
    assert "already defined by pack 'clash_first' at first.yaml:6:3" in clash["message"]
    assert errors[2]["problems"][0]["file"] == "missing.yaml"
    assert (
        errors[2]["message"] == "1 problem in pack files:\n  missing.yaml: no such file or folder"
    )


def test_error_messages_keep_what_is_not_a_path() -> None:
    # a unit is not a path, even with slashes; nor is a pack's name in angle brackets
    text = "cannot read '/kg/m' as a unit; <bundled>/pace.yaml; 1 / hours_per_fte_year"
    assert em.UnitError(text).to_dict()["message"] == text


# -- a tenant's own figures ---------------------------------------------------------------------


def test_a_tenant_figure_is_the_tenants_not_an_assumption() -> None:
    base = em.load()
    tenant = base.with_params(minutes_per_transaction="4 min", hourly_labor_cost="55 USD/hour")
    pack_use = base.convert("12000 transaction/month", "labor_cost").steps[0].parameters[0]
    # the pack's default minutes per transaction is an assumption it asks you to replace
    assert (pack_use.origin, pack_use.assumption) == ("pack", True)
    assert pack_use.to_dict()["origin"] == "pack"
    assert pack_use.to_dict()["assumption"] is True
    result = tenant.convert("12000 transaction/month", "labor_cost")
    minutes, cost = (step.parameters[0] for step in result.steps)
    assert minutes.to_dict() == {
        "name": "minutes_per_transaction",
        "origin": "tenant",
        "value": 4.0,  # "4 min", read per transaction
        "low": 4.0,
        "high": 4.0,
        "unit": "minute / transaction",
        "source": None,
        "edition": "",
        "assumption": False,
        "overridden": True,
        "derivation": "",
    }
    assert (cost.to_dict()["origin"], cost.to_dict()["value"]) == ("tenant", 55.0)
    assert cost.to_dict()["edition"] == ""  # not the pack's BLS edition: the tenant's figure
    text = result.explain()
    assert "minutes_per_transaction = 4 minute / transaction; set for this engine" in text
    assert "an assumption" not in text
    # 12,000 x 4 min = 800 h; x $55 = $44,000 a month
    assert result.magnitude == pytest.approx(44_000, rel=1e-12)


# -- the command line ---------------------------------------------------------------------------


def _cli(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None
) -> tuple[int, str]:
    original = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        code = main(list(argv))
    finally:
        sys.stdin = original
    return code, capsys.readouterr().out


def test_no_command_line_json_names_a_path(
    user_pack: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = ("--pack", str(user_pack))
    source = tmp_path / "data" / "in.csv"
    source.parent.mkdir()
    source.write_text("tickets\n900\n-1\n", encoding="utf-8")
    clash = tmp_path / "clash"
    shutil.copytree(CLASH, clash)
    runs = {
        "convert": ("convert", "900 ticket/month", "labor_cost", "--json", *pack),
        "convert compact": (
            "convert", "900 ticket/month", "labor_cost", "--json", "--compact", *pack
        ),
        "explain": ("explain", "900 ticket/month", "labor_cost", "--json", *pack),
        "feel-good": (
            "feel-good", "900 ticket/month", "--json", *pack, "--param", "minutes_per_ticket=9 min"
        ),
        "feel-good compact": ("feel-good", "900 ticket/month", "--json", "--compact", *pack),
        "action": ("action", "420 kcal", "--json", *pack),
        "demo": ("demo", "--json", *pack),
        "demo compact": ("demo", "--json", "--compact"),
        "packs": ("packs", "--json", *pack),
        "methodology": ("methodology", "--json", *pack),
        "validate": ("validate", str(user_pack), "--json"),
        "validate clash": ("validate", str(clash), "--no-bundled", "--json"),
        "pack error": ("convert", "1 kWh", "co2e", "--json", "--pack", str(clash)),
        "no pack": (
            "convert", "1 kWh", "co2e", "--json", "--pack", str(tmp_path / "nowhere.yaml")
        ),
        "batch": (
            "batch", str(source), "--column", "tickets", "--unit", "ticket",
            "--to", "manual_work", "-o", str(tmp_path / "out" / "out.csv"), "--json", *pack,
        ),
    }  # fmt: skip
    (tmp_path / "out").mkdir()
    outputs: dict[str, Any] = {}
    for name, argv in runs.items():
        code, out = _cli(capsys, *argv)
        assert code in (0, 1), argv
        outputs[name] = json.loads(out)
    requests = b"\n".join(
        [
            b'{"id": 1, "quantity": "900 ticket/month", "to": "labor_cost"}',
            b'{"id": 2, "quantity": "900 ticket/month", "to": "labor_cost", "compact": true}',
            b'{"id": 3, "quantity": "9 kWhh", "to": "co2e"}',
            b"not json",
        ]
    )
    code, out = _cli(capsys, "convert", "--json", "-", *pack, stdin=requests)
    assert code == 1
    outputs["stream"] = [json.loads(line) for line in out.splitlines()]
    _assert_no_paths(outputs, tmp_path)
    error = outputs["pack error"]["error"]
    assert error["code"] == "PackError"
    assert [p["file"] for p in error["problems"]] == ["second.yaml"]
    assert outputs["no pack"]["error"]["problems"][0]["file"] == "nowhere.yaml"
    assert [p["file"] for p in outputs["validate clash"]["problems"]] == ["second.yaml"]
    assert outputs["batch"]["output"] == "out.csv"
    assert outputs["batch"]["rejects"] == "out.csv.rejects.csv"
    assert {p["name"]: p["file"] for p in outputs["packs"]}["support_desk"] == "support_desk.yaml"
    assert outputs["stream"][0]["steps"][0]["defined_in"]["file"] == "support_desk.yaml"
    assert outputs["stream"][1]["schema"] == "equivmetrics.result.compact/1"
    assert outputs["convert compact"]["schema"] == "equivmetrics.result.compact/1"
    assert outputs["feel-good compact"][0]["schema"] == "equivmetrics.equivalent.compact/1"


def test_a_scorecard_and_its_errors_name_no_path(tmp_path: Path) -> None:
    folder = tmp_path / "customer" / "packs"
    folder.mkdir(parents=True)
    pack = folder / "cs_scorecard.yaml"
    pack.write_text((ROOT / "docs" / "examples" / "cs_scorecard.yaml").read_text("utf-8"))
    engine = em.load(pack)
    team = {"active_users": 3, "licensed_seats": 4, "hours_saved": 10}
    card = engine.scorecard({"2026-03": {"A": team, "B": {**team, "active_users": 1}}})
    _assert_no_paths(card.to_dict(), tmp_path)  # every part: scores, links, value, stake
    _assert_no_paths([i.to_dict() for i in engine.indicators.values()], tmp_path)
    with pytest.raises(em.ScorecardError) as caught:
        engine.scorecard({"2026-03": {"A": {**team, "hours_saved": -1}, "B": team}})
    _assert_no_paths(caught.value.to_dict(), tmp_path)
    pytest.importorskip("matplotlib")
    from equivmetrics.report import build_report

    report = build_report(engine, {"2026-02": 1200, "2026-03": 1500}, "manual_work",
                          of="transaction", unit="transaction", scorecard=card)  # fmt: skip
    _assert_no_paths(report.to_dict(), tmp_path)  # with the rules' and the scorecard's parts
    _assert_no_paths(report.to_dict(compact=True), tmp_path)


def test_every_to_dict_is_checked_above() -> None:
    # the classes with a to_dict(), written out by hand: each is covered by a test above (add
    # a new one here only with a check that its JSON names no path)
    covered = {
        "ParameterUse", "Step", "Result", "Equivalent", "Period", "Series", "YearRow",
        "Scenario", "Outcome", "Reward", "Summary", "Location", "Problem",
        "EquivMetricsError", "PackError", "Indicator", "Rule", "Score", "TeamScore",
        "WeakLink", "TeamStake", "Realised", "Stake", "Scorecard", "ScorecardError",
        "ValueReport",
    }  # fmt: skip
    import importlib
    import pkgutil

    found = set()
    package = Path(em.__file__).parent
    for info in pkgutil.walk_packages([str(package)], "equivmetrics."):
        if info.name.endswith(("dask", "__main__")):
            continue
        for obj in vars(importlib.import_module(info.name)).values():
            if isinstance(obj, type) and "to_dict" in vars(obj):
                found.add(obj.__name__)
    assert found == covered


def test_folders_with_spaces_leave_the_json_too(tmp_path: Path) -> None:
    # Found in review: a folder name with a space ("Jane Doe") stayed in an error's JSON
    folder = tmp_path / "Jane Doe" / "packs"
    folder.mkdir(parents=True)
    for name in ("first.yaml", "second.yaml"):
        (folder / name).write_text(
            f"equivmetrics: 1\nname: {name[:-5]}\nedition: '1'\nlicense: MIT\n"
            "sources:\n  s: {title: Test}\nkinds:\n  crate_count: {unit: count}\n",
            encoding="utf-8",
        )
    with pytest.raises(em.PackError) as info:
        em.load(folder, bundled=False)
    text = json.dumps(info.value.to_dict())
    assert "first.yaml" in text or "second.yaml" in text
    assert "Jane" not in text  # not even the part before the space
    assert str(tmp_path) not in text
