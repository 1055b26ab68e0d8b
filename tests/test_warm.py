"""Warm start: a fresh process answers conversions an earlier one compiled, without pint.

Each test runs real interpreters (``subprocess``) against its own cache folder, because a warm
start is about what a *new* process does with the file an earlier one left behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics._engine import warm as _warm

#: A child process: convert, and report the result and whether pint was imported.
CHILD = """
import json, sys
import equivmetrics as em
r = em.convert("12000 transaction/month", "fte")
c = em.convert((12400, "kWh"), "co2e")
print(json.dumps({"fte": r.to_dict(), "explain": r.explain(), "co2e": c.to_dict(),
                  "pint": "pint" in sys.modules}))
"""


def _run(folder: Path, code: str = CHILD, **env: str) -> dict[str, Any]:
    environment = {**os.environ, "EQUIVMETRICS_CACHE_DIR": str(folder), **env}
    environment.pop("EQUIVMETRICS_CACHE", None)
    environment.update(env)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert done.stderr == ""
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "warm"
    made.mkdir(mode=0o700)
    return made


def test_a_second_process_answers_without_pint_and_gives_the_same_results(folder: Path) -> None:
    cold = _run(folder)
    assert cold["pint"] is True
    (written,) = _files(folder)
    assert written.stat().st_mode & 0o777 == 0o600
    warm = _run(folder)
    assert warm["pint"] is False
    # 12,000 transactions x 3 min = 600 h a month; x 12 / 1,878.50 h worked per FTE-year
    # (2,080 paid hours x 32.07 / 35.51) = 3.8328 FTE
    assert warm["fte"]["magnitude"] == pytest.approx(600 * 12 / (2080 * 32.07 / 35.51), rel=1e-12)
    assert warm == {**cold, "pint": False}


def test_a_new_conversion_in_a_warm_process_builds_the_catalog(folder: Path) -> None:
    _run(folder)
    code = CHILD.replace('"12000 transaction/month", "fte"', '"420 kcal", "walking"')
    later = _run(folder, code)
    assert later["pint"] is True  # not seen before: compiled with pint
    # PACE: 420 kcal / (3.5 kcal/kg/h-MET x ... ) -> 75.0 minutes of walking (reference/pace.md)
    assert later["fte"]["magnitude"] == pytest.approx(75.0, abs=0.05)
    assert _run(folder, code)["pint"] is False


def test_switched_off(folder: Path) -> None:
    assert _run(folder, EQUIVMETRICS_CACHE="off")["pint"] is True
    assert _files(folder) == []


def _tamper(folder: Path, change: Any) -> None:
    (file,) = _files(folder)
    data = json.loads(file.read_text(encoding="utf-8"))
    text = change(data)
    file.write_text(text if isinstance(text, str) else json.dumps(data), encoding="utf-8")


def _set_factor(value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        for entry in data["entries"]:
            entry["compiled"]["factor_low"] = value

    return change


def _set_central(value: Any) -> Any:
    def change(data: dict[str, Any]) -> None:
        for entry in data["entries"]:
            entry["compiled"]["factor"] = value

    return change


def _swap_kind(data: dict[str, Any]) -> None:
    """A record filed under another conversion's key."""
    first, second = data["entries"][:2]
    first["compiled"], second["compiled"] = second["compiled"], first["compiled"]


def _drop_steps(data: dict[str, Any]) -> None:
    for entry in data["entries"]:
        del entry["compiled"]["steps"]


def _string_factor(data: dict[str, Any]) -> None:
    for entry in data["entries"]:
        entry["compiled"]["factor"] = "0.5"


def _unknown_policy(data: dict[str, Any]) -> None:
    for entry in data["entries"]:
        entry["compiled"]["negative"] = "sometimes"


def _extra_field(data: dict[str, Any]) -> None:
    data["entries"][0]["compiled"]["__class__"] = "os.system"


def _old_steps(data: dict[str, Any]) -> None:
    """Steps as equivmetrics.warm/1 wrote them: the location as text, no pack."""
    for entry in data["entries"]:
        for step in entry["compiled"]["steps"]:
            where = step.pop("location")
            del step["pack"]
            step["location"] = f"{where['file']}:{where['line']}:{where['column']}"


def _line_as_text(data: dict[str, Any]) -> None:
    for entry in data["entries"]:
        for step in entry["compiled"]["steps"]:
            step["location"]["line"] = str(step["location"]["line"])


DAMAGE = {
    "not-json": lambda data: "{not json",
    "binary": lambda data: "\x00\xff" * 10,
    "other-format": lambda data: json.dumps({"format": "equivmetrics.warm/999", "entries": []}),
    "not-an-object": lambda data: json.dumps([1, 2, 3]),
    "entries-not-a-list": lambda data: json.dumps({"format": _warm.FORMAT, "entries": {}}),
    "negative-factor": _set_factor(-1.0),
    "zero-factor": _set_factor(0.0),
    "infinite-factor": _set_factor(1e309),  # written as Infinity
    "missing-field": _drop_steps,
    "string-number": _string_factor,
    "unknown-policy": _unknown_policy,
    "extra-field": _extra_field,
    "old-step-shape": _old_steps,
    "line-as-text": _line_as_text,
    "negative-central": _set_central(-1.0),
    "central-outside-range": _set_central(5.0),
    "integer-factor": _set_central(10**400),
    "another-conversion": _swap_kind,
    "nested-deeply": lambda data: "[" * 200_000,
}


@pytest.fixture(scope="session")  # not rebuilt when a pytest-xdist worker comes back here
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the file a real process wrote for CHILD's conversions."""
    made = tmp_path_factory.mktemp("written")
    made.chmod(0o700)
    _run(made)
    return made


@pytest.mark.parametrize("change", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_file_is_ignored(written: Path, tmp_path: Path, change: Any) -> None:
    file = _copy(written, tmp_path / "copy")
    assert len(_warm._read(file)) == 2  # the intact file holds both conversions
    _tamper(file.parent, change)
    assert _warm._read(file) == {}


def test_a_file_of_the_previous_format_is_not_read(written: Path, tmp_path: Path) -> None:
    file = _copy(written, tmp_path / "copy")
    data = json.loads(file.read_text(encoding="utf-8"))
    _old_steps(data)
    data["format"] = "equivmetrics.warm/1"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert _warm._read(file) == {}


def test_records_keep_where_each_rule_is_written(written: Path, tmp_path: Path) -> None:
    file = _copy(written, tmp_path / "copy")
    compiled = _warm._read(file)
    steps = [step for c in compiled.values() for step in c.steps]
    assert {step.pack for step in steps} == {"productivity", "epa_ghg"}
    assert all(isinstance(step.location, em.Location) for step in steps)
    assert all(step.location.name.endswith(".yaml") and step.location.line > 0 for step in steps)


def _copy(written: Path, folder: Path) -> Path:
    (original,) = _files(written)
    folder.mkdir(mode=0o700)
    file = folder / original.name
    file.write_bytes(original.read_bytes())
    file.chmod(0o600)
    return file


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("mode", [0o720, 0o702, 0o777], ids=oct)
def test_a_folder_others_can_write_is_neither_read_nor_written(
    written: Path, tmp_path: Path, mode: int
) -> None:
    file = _copy(written, tmp_path / "shared")
    compiled = _warm._read(file)
    assert len(compiled) == 2
    file.parent.chmod(mode)
    try:
        assert _warm._read(file) == {}
        file.unlink()
        _warm._write(file, compiled)
        assert not file.exists()
    finally:
        file.parent.chmod(0o700)
    _warm._write(file, compiled)
    assert _warm._read(file) == compiled


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_file_others_can_write_or_a_symlink_is_not_read(written: Path, tmp_path: Path) -> None:
    file = _copy(written, tmp_path / "shared")
    file.chmod(0o620)
    assert _warm._read(file) == {}
    file.chmod(0o600)
    elsewhere = tmp_path / "elsewhere.json"
    file.rename(elsewhere)
    file.symlink_to(elsewhere)
    assert _warm._read(file) == {}
    assert len(_warm._read(elsewhere)) == 2


def test_a_damaged_file_is_replaced_and_results_stay_right(folder: Path) -> None:
    cold = _run(folder)
    _tamper(folder, _set_factor(-1.0))
    again = _run(folder)
    assert again["pint"] is True  # rebuilt from the packs
    assert again == cold
    assert _run(folder)["pint"] is False  # and the process wrote a good file again


def test_a_huge_file_is_not_read(written: Path, tmp_path: Path) -> None:
    file = _copy(written, tmp_path / "huge")
    file.write_text(" " * (_warm.MAX_BYTES + 1), encoding="utf-8")
    assert _warm._read(file) == {}


def test_the_identity_follows_the_pack_bytes(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("one", encoding="utf-8")
    first = _warm._identity([a])
    assert _warm._identity([a]) == first
    a.write_text("two", encoding="utf-8")
    assert _warm._identity([a]) != first


def test_no_warm_start_when_plugins_are_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from equivmetrics._engine import bundled as _bundled

    catalog = em.load(plugins=False).catalog
    from equivmetrics._packs import plugins

    monkeypatch.setattr(_bundled, "may_have_plugins", lambda: True)
    monkeypatch.setattr(plugins, "discover", lambda: ["a plugin"])
    monkeypatch.setattr(_bundled, "warm_engine", _refuse_warm)
    monkeypatch.setattr(_bundled, "_catalog", lambda chosen: catalog)
    engine = _bundled._start(None)
    assert engine.convert("420 kcal", "walking").unit == "minute"


def test_warm_starts_off_and_no_plugin_installed_read_no_plugin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The quick look found no plugin: with warm starts off, the catalog is built from the
    # bundled packs alone and importlib.metadata is not asked.
    from equivmetrics._engine import bundled as _bundled
    from equivmetrics._packs import plugins

    catalog = em.load(plugins=False).catalog
    chosen: list[Any] = []

    def built(selection: Any) -> Any:
        chosen.append(selection)
        return catalog

    monkeypatch.setattr(_bundled, "may_have_plugins", lambda: False)
    monkeypatch.setattr(plugins, "discover", _refuse_discover)
    monkeypatch.setattr(_bundled, "warm_engine", lambda *args: None)
    monkeypatch.setattr(_bundled, "_catalog", built)
    engine = _bundled._start(None)
    assert engine.convert("420 kcal", "walking").unit == "minute"
    assert chosen == [()]


def _refuse_discover() -> None:
    raise AssertionError("importlib.metadata asked though no plugin is installed")


def test_installed_plugins_are_seen_without_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from importlib import metadata

    from equivmetrics._packs.installed import GROUP, may_have_plugins

    # the environment as it is: the quick look agrees with importlib.metadata, or defers
    assert may_have_plugins() in (None, bool(metadata.entry_points(group=GROUP)))
    site = tmp_path / "site"
    info = site / "acme_solar-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text("[console_scripts]\nacme = acme:main\n", "utf-8")
    monkeypatch.setattr("sys.path", [str(site)])
    standard = [f for f in sys.meta_path if getattr(f, "__name__", "") == "PathFinder"]
    monkeypatch.setattr("sys.meta_path", standard)  # no test's own distribution finders
    assert may_have_plugins() is False
    (info / "entry_points.txt").write_text(f"[{GROUP}]\nacme = acme_solar.packs\n", "utf-8")
    assert may_have_plugins() is True
    archive = tmp_path / "packages.zip"
    archive.write_bytes(b"")
    monkeypatch.setattr("sys.path", [str(archive)])
    assert may_have_plugins() is None  # a zip file: only importlib.metadata can tell


def test_the_importlib_metadata_backport_still_allows_the_quick_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pint imports the ``importlib_metadata`` backport where it is installed, which puts its
    own finder of distributions on ``sys.meta_path``: it reads the folders on ``sys.path``, as
    the quick look does, so that look still answers (before, it gave up and every later warm
    start imported importlib.metadata). Another finder still defers to importlib.metadata."""
    from equivmetrics._packs.installed import GROUP, may_have_plugins

    site = tmp_path / "site"
    info = site / "acme_solar-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "entry_points.txt").write_text(f"[{GROUP}]\nacme = acme_solar.packs\n", "utf-8")
    monkeypatch.setattr("sys.path", [str(site)])
    standard = [f for f in sys.meta_path if getattr(f, "__name__", "") == "PathFinder"]
    backport = type("MetadataPathFinder", (), {"find_distributions": lambda self, *a: iter(())})
    backport.__module__ = "importlib_metadata"
    monkeypatch.setattr("sys.meta_path", [*standard, backport()])
    assert may_have_plugins() is True
    (info / "entry_points.txt").write_text("[console_scripts]\nacme = acme:main\n", "utf-8")
    assert may_have_plugins() is False
    other = type("ZipDistributions", (), {"find_distributions": lambda self, *a: iter(())})
    monkeypatch.setattr("sys.meta_path", [*standard, backport(), other()])
    assert may_have_plugins() is None


def _refuse_warm(*args: Any) -> None:
    raise AssertionError("warm start used with plugins installed")


def test_many_entries_keep_the_most_recent(folder: Path) -> None:
    targets = ["co2e", "coal", "gasoline", "vehicle_miles", "tree_seedling"]
    code = (
        "import equivmetrics as em, equivmetrics._engine.warm as warm\n"
        "warm.MAX_ENTRIES = 3\n"
        f"for to in {targets!r}:\n"
        "    em.convert('1 kWh', to)\n"
    )
    environment = {**os.environ, "EQUIVMETRICS_CACHE_DIR": str(folder)}
    environment.pop("EQUIVMETRICS_CACHE", None)
    subprocess.run([sys.executable, "-c", code], env=environment, check=True)
    (file,) = _files(folder)
    entries = json.loads(file.read_text(encoding="utf-8"))["entries"]
    assert [entry["key"][1] for entry in entries] == targets[-3:]


def test_a_file_that_cannot_be_written_is_logged_not_printed(
    written: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    compiled = _warm._read(_copy(written, tmp_path / "source"))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with caplog.at_level("DEBUG", logger="equivmetrics"):
        _warm._write(blocker / "warm.json", compiled)  # its folder is a file: cannot be made
    assert "not written" in caplog.text
    assert capsys.readouterr() == ("", "")


USER_PACK = """\
equivmetrics: 1
name: blips
edition: "1"
license: MIT
units:
  blip: {{definition: "{n} kWh"}}
"""


def test_conversions_reading_a_user_packs_units_are_not_saved(folder: Path, tmp_path: Path) -> None:
    # The user pack's unit is its engine's own: the default engine (the one warm-started and
    # saved) cannot read it at all.
    code = (
        "import sys, json, equivmetrics as em\n"
        "r = em.load(sys.argv[1]).convert('1 kblip', 'co2e', of='electricity_avoided')\n"
        "try:\n"
        "    em.convert('1 kblip', 'co2e', of='electricity_avoided')\n"
        "except em.UnitError as exc:\n"
        "    assert \"unknown unit 'kblip'\" in str(exc), exc\n"
        "else:\n"
        "    raise AssertionError('the default engine read a user pack unit')\n"
        "em.convert('12400 kWh', 'co2e')\n"
        "print(json.dumps({'fte': r.to_dict(), 'pint': True}))\n"
    )
    for n in (2, 3):
        pack = tmp_path / f"blip{n}.yaml"
        pack.write_text(USER_PACK.format(n=n), encoding="utf-8")
        environment = {**os.environ, "EQUIVMETRICS_CACHE_DIR": str(folder)}
        environment.pop("EQUIVMETRICS_CACHE", None)
        done = subprocess.run(
            [sys.executable, "-c", code, str(pack)],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        # 1 kblip = n MWh; x 1,562.4 lb/MWh x 0.45359237 kg/lb / 1,000 kg/t
        magnitude = json.loads(done.stdout)["fte"]["magnitude"]
        assert magnitude == pytest.approx(n * 1562.4 * 0.45359237e-3)
    (file,) = _files(folder)
    keys = [entry["key"][0] for entry in json.loads(file.read_text(encoding="utf-8"))["entries"]]
    assert keys == ["kWh"]  # the bundled conversion is kept, the blip one never


# -- a record serves only the key it is filed under --------------------------------------------

#: Four conversions whose records differ only in what their keys name: the result unit, and
#: the source kind (without of=, kWh is electricity avoided).
KEYED = """
import json
import equivmetrics as em
print(json.dumps([em.convert((12400, "kWh"), "co2e", unit=u, of=of).magnitude
                  for u, of in [("kg", None), ("t", None), ("kg", "electricity_consumed"),
                                ("t", "electricity_consumed")]]))
"""


@pytest.fixture(scope="session")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("keyed")
    made.chmod(0o700)
    _run(made, KEYED)
    return made


def _entries(file: Path) -> dict[tuple[Any, ...], dict[str, Any]]:
    data = json.loads(file.read_text(encoding="utf-8"))
    return {tuple(entry["key"]): entry for entry in data["entries"]}


def _swap(file: Path, first: tuple[Any, ...], second: tuple[Any, ...], *fields: str) -> None:
    data = json.loads(file.read_text(encoding="utf-8"))
    by_key = {tuple(entry["key"]): entry for entry in data["entries"]}
    for field in fields:
        by_key[first][field], by_key[second][field] = by_key[second][field], by_key[first][field]
    file.write_text(json.dumps(data), encoding="utf-8")


KG = ("kWh", "co2e", None, "kg", None)
TONNES = ("kWh", "co2e", None, "t", None)
CONSUMED = ("kWh", "co2e", "electricity_consumed", "kg", None)


@pytest.mark.parametrize(
    ("first", "second"), [(KG, TONNES), (KG, CONSUMED)], ids=["unit", "source kind"]
)
@pytest.mark.parametrize("fields", [("compiled",), ("compiled", "check")], ids=["record", "both"])
def test_records_swapped_between_keys_discard_the_file(
    keyed: Path, tmp_path: Path, first: tuple[Any, ...], second: tuple[Any, ...], fields: Any
) -> None:
    """Well-formed records filed under each other's keys (the record of unit='t' under the
    key unit='kg'; of 'electricity_consumed' under of=None): before, they were served."""
    file = _copy(keyed, tmp_path / "copy")
    assert len(_warm._read(file)) == 4
    _swap(file, first, second, *fields)
    assert _warm._read(file) == {}
    # and a process reading the file gives the numbers of a process without any file:
    # 12,400 kWh x 1,562.4 lb/MWh (AVERT 2019, avoided) = 19,373.76 lb = 8,787.79 kg
    fresh: Any = _run(file.parent, KEYED)
    avoided = 12400 * 1.5624 * 0.45359237
    assert fresh[:2] == pytest.approx([avoided, avoided / 1000], rel=1e-9)
    assert fresh == _run(tmp_path / "none", KEYED, EQUIVMETRICS_CACHE="off")


def test_one_input_unit_read_as_two_kinds_discards_the_file(keyed: Path, tmp_path: Path) -> None:
    """A record copied, with a matching check, under a key without of=: the file then says kWh
    is read as two kinds, which one catalog never does."""
    file = _copy(keyed, tmp_path / "copy")
    data = json.loads(file.read_text(encoding="utf-8"))
    by_key = {tuple(entry["key"]): entry for entry in data["entries"]}
    record = by_key[CONSUMED]["compiled"]
    by_key[KG]["compiled"] = record
    by_key[KG]["check"] = _warm._check(list(KG), record)
    file.write_text(json.dumps(data), encoding="utf-8")
    assert _warm._read(file) == {}


def test_a_relative_cache_folder_is_read_against_the_starting_folder(tmp_path: Path) -> None:
    """The process moves to another folder before it exits: before, the file was written
    relative to that folder."""
    start, elsewhere = tmp_path / "start", tmp_path / "elsewhere"
    start.mkdir(mode=0o700)
    elsewhere.mkdir(mode=0o700)
    code = CHILD.replace("import equivmetrics as em", "import equivmetrics as em, os") + (
        f"os.chdir({str(elsewhere)!r})\n"
    )
    environment = {**os.environ, "EQUIVMETRICS_CACHE_DIR": "warm"}
    environment.pop("EQUIVMETRICS_CACHE", None)
    subprocess.run([sys.executable, "-c", code], env=environment, cwd=start, check=True,
                   capture_output=True)  # fmt: skip
    assert len(_files(start / "warm")) == 1
    assert list(elsewhere.iterdir()) == []


def test_the_package_is_read_from_its_folder_without_importlib_resources(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The warm start stamps the same files either way; importlib's resources only for a zip."""
    from importlib import resources

    from equivmetrics._engine import warm as warm_module
    from equivmetrics._packs import installed

    on_disk = warm_module._sources(installed.package_folder(), "")
    through_resources = warm_module._sources(resources.files("equivmetrics"), "")
    assert [name for name, _ in on_disk] == [name for name, _ in through_resources]
    assert [warm_module._stamp(s) for _, s in on_disk] == [
        warm_module._stamp(s) for _, s in through_resources
    ]
    monkeypatch.setattr(installed, "__file__", str(tmp_path / "_packs" / "installed.py"))
    assert str(installed.package_folder()) == str(resources.files("equivmetrics"))


def test_a_warm_start_imports_no_catalog_no_pack_records_and_no_resources(
    tmp_path: Path,
) -> None:
    code = (
        "import sys, equivmetrics as em\n"
        "em.load().convert((5, 'kWh'), 'co2e')\n"
        "print(sorted(m for m in ('equivmetrics._catalog.catalog', 'equivmetrics._packs.model',"
        " 'importlib.resources', 'logging', 'pint') if m in sys.modules))\n"
    )
    env = {**os.environ, "EQUIVMETRICS_CACHE_DIR": str(tmp_path), "EQUIVMETRICS_CACHE": "on"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
    warm = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    assert warm.stdout.strip() == "[]"
