"""``validate`` warns about what loads but will surprise; ``--strict`` makes warnings errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import equivmetrics as em

ROOT = Path(__file__).resolve().parent.parent

#: A pack a new user might write: each line marked below is worth a warning.
SURPRISING = """\
equivmetrics: 1
name: typing
edition: "1"
license: none
sources: {me: {title: Me}}
kinds:
  keystroke: {unit: keypress, input_units: [keypress], label: {one: keystroke, other: keystrokes}}
  data_entry:
    unit: minute
    label: minute of data entry saved
    icon: keyboard
    roles: {feel_good: "about {value} {label}"}
  typist_day:
    unit: day
    label: {one: typist-day, other: typist-days}
units:
  keypress: "[keypress]"
parameters:
  minutes_per_keystroke: {value: 0.003 min/keypress, source: me}
rules:
  - {from: keystroke, to: data_entry, factor: minutes_per_keystroke}
  - {from: data_entry, to: typist_day, factor: 1 / 480, source: me}
"""

#: The same pack, each warning followed.
FIXED = """\
equivmetrics: 1
name: typing
edition: "1"
license: none
sources: {me: {title: Me}}
kinds:
  keystroke: {unit: keypress, input_units: [keypress], label: {one: keystroke, other: keystrokes}}
  data_entry:
    unit: minute
    label: {one: minute of data entry saved, other: minutes of data entry saved}
    icon: clock
    roles: {feel_good: "{value} {label}"}
  typist_day:
    unit: day
    label: {one: typist-day, other: typist-days}
    roles: {feel_good: "{value} {label}"}
units:
  keypress: "[keypress]"
parameters:
  minutes_per_keystroke:
    value: 0.003 min/keypress
    low: 0.002 min/keypress
    high: 0.005 min/keypress
    source: me
rules:
  - {from: keystroke, to: data_entry, factor: minutes_per_keystroke}
  - {from: data_entry, to: typist_day, factor: 1 / 480, source: me}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "typing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_surprise_is_a_warning_with_its_line(tmp_path: Path) -> None:
    report = em.validate(_write(tmp_path, SURPRISING), bundled=False)
    assert report.ok  # warnings are not problems
    assert report.problems == ()
    found = {(w.field, w.location.line) for w in report.warnings}
    assert found == {
        ("kinds.data_entry.label", 10),  # one form, counted: "6,000 minute of data entry"
        ("kinds.data_entry.icon", 11),  # no icon 'keyboard': the default would be drawn
        ("kinds.data_entry.roles.feel_good", 12),  # "about" in the wording
        ("kinds.typist_day", 13),  # reached by a rule, offered by no role
        ("parameters.minutes_per_keystroke", 19),  # no range
    }
    by_field = {w.field: w for w in report.warnings}
    assert "'keyboard'" in by_field["kinds.data_entry.icon"].message
    assert "clock" in by_field["kinds.data_entry.icon"].hint
    assert "roles:" in by_field["kinds.typist_day"].hint
    assert "label: {one: ..., other: ...}" in by_field["kinds.data_entry.label"].hint
    assert "'about'" in by_field["kinds.data_entry.roles.feel_good"].message
    assert "'no_range'" in by_field["parameters.minutes_per_keystroke"].hint


def test_following_the_warnings_clears_them(tmp_path: Path) -> None:
    path = _write(tmp_path, FIXED)
    report = em.validate(path, bundled=False, strict=True)
    assert report.warnings == ()
    assert report.ok
    # and the kind now shows up, in the plural: 6,000 keystrokes x 0.003 min = 18 minutes
    engine = em.load(path, bundled=False)
    (entry, *_) = engine.feel_good("6000 keypress")
    assert entry.kind == "data_entry"
    assert entry.magnitude == pytest.approx(18.0)
    assert entry.text.startswith("18 minutes of data entry saved")


def test_strict_makes_warnings_problems(tmp_path: Path) -> None:
    report = em.validate(_write(tmp_path, SURPRISING), bundled=False, strict=True)
    assert not report.ok
    assert len(report.warnings) == 5


def test_a_range_or_a_reason_for_none(tmp_path: Path) -> None:
    text = FIXED.replace(
        "    low: 0.002 min/keypress\n    high: 0.005 min/keypress\n",
        "    no_range: a definition of the keystroke counted\n",
    )
    assert em.validate(_write(tmp_path, text), bundled=False, strict=True).ok
    both = FIXED.replace("    source: me\nrules", "    no_range: why\n    source: me\nrules")
    (problem,) = em.validate(_write(tmp_path, both), bundled=False).problems
    assert problem.field == "parameters.minutes_per_keystroke.no_range"


def test_the_command_line_lists_warnings_and_strict_fails(tmp_path: Path) -> None:
    path = _write(tmp_path, SURPRISING)
    command = [sys.executable, "-m", "equivmetrics", "validate", str(path), "--no-bundled"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[-1] == "ok, 5 warning(s): 0/0 examples passed"
    assert f"{path}:11:" in done.stdout
    assert all(": warning: " in line for line in lines[:-1])
    strict = subprocess.run(
        [*command, "--strict"], capture_output=True, text=True, check=False, timeout=120
    )
    assert strict.returncode == 1
    assert strict.stdout.splitlines()[-1] == (
        "failed: 5 warning(s) (--strict): 0/0 examples passed"
    )
    as_json = subprocess.run(
        [*command, "--json"], capture_output=True, text=True, check=False, timeout=120
    )
    data = json.loads(as_json.stdout)
    assert data["ok"] is True
    assert data["problems"] == []
    assert {w["line"] for w in data["warnings"]} == {10, 11, 12, 13, 19}


def test_the_bundled_packs_pass_strict() -> None:
    # each bundled parameter without a range says why in 'no_range' (a definition, EPA's one
    # value); every offered kind has two label forms, a shipped icon and plain wording
    report = em.validate(strict=True)
    assert report.warnings == ()
    assert report.ok


def test_the_documented_example_passes_strict() -> None:
    assert em.validate(ROOT / "docs" / "examples" / "support_desk.yaml", strict=True).ok
