"""Plugin packs: installed distributions offer packs through the ``equivmetrics.packs`` group.

Each test writes a real installed distribution (``*.dist-info`` with ``METADATA`` and
``entry_points.txt``, and its package of ``.yaml`` files) into a temporary folder and puts that
folder on ``sys.path``, so :mod:`importlib.metadata` discovers it as it would in site-packages.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._core import units as _units

ROOT = Path(__file__).resolve().parent.parent
CONVERSIONS = ROOT / "conversions"

HEADER = """\
equivmetrics: 1
name: {name}
edition: "2026.1"
license: CC0-1.0 (test data)
sources:
  acme_study:
    title: ACME internal time study (test data)
"""

#: 100 widgets x 6 min/widget = 600 min = 10 hours of manual work.
WIDGETS = (
    HEADER.format(name="acme_widgets")
    + """\
units:
  acme_widget:
    definition: "[acme_widget]"
kinds:
  acme_widget:
    unit: acme_widget
    input_units: [acme_widget]
    label: {one: widget assembled, other: widgets assembled}
    icon: receipt
parameters:
  acme_minutes_per_widget:
    value: 6 min/acme_widget
    source: acme_study
rules:
  - id: acme_widget_manual_work
    from: acme_widget
    to: manual_work
    factor: acme_minutes_per_widget
examples:
  - given: 100 acme_widget
    to: manual_work
    expect: 10 hour
"""
)


def bundled(name: str) -> str:
    """Where the bundled pack ``name`` was read from, as problems show it."""
    return {p.name: p.origin for p in em.load(plugins=False).catalog.packs}[name]


def line_of(path: Path, text: str) -> int:
    """The 1-based line of the first line of ``path`` that is exactly ``text``."""
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def install(
    root: Path,
    dist: str,
    entry_points: dict[str, str],
    files: dict[str, str],
) -> None:
    """Write an installed distribution ``dist`` 1.0 into ``root`` (a sys.path folder)."""
    info = root / f"{dist}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8"
    )
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text("[equivmetrics.packs]\n" + lines, encoding="utf-8")
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def package(name: str, packs: dict[str, str], init: str = "") -> dict[str, str]:
    """Files of package ``name`` with a ``packs`` sub-package holding the given pack files."""
    files = {f"{name}/__init__.py": init, f"{name}/packs/__init__.py": ""}
    files.update({f"{name}/packs/{file}": text for file, text in packs.items()})
    return files


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh sys.path folder; cached engines and imported test plugins are forgotten after."""
    monkeypatch.delenv("EQUIVMETRICS_DISABLE_PLUGINS", raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    em.clear_cache()
    yield tmp_path
    em.clear_cache()
    for name in [m for m in sys.modules if m.split(".")[0].startswith("acme")]:
        del sys.modules[name]


def good_plugin(site: Path) -> None:
    install(
        site,
        "acme_equiv",
        {"acme": "acme_equiv.packs"},
        package("acme_equiv", {"widgets.yaml": WIDGETS}),
    )


def problems_of(error: em.PackError) -> str:
    return "\n".join(str(p) for p in error.problems)


# -- a good plugin ---------------------------------------------------------------------------------


def test_a_good_plugin_is_loaded_after_the_bundled_packs(site: Path) -> None:
    good_plugin(site)
    engine = em.load()
    assert [p.name for p in engine.catalog.packs][-1] == "acme_widgets"
    origin = engine.catalog.packs[-1].origin
    assert origin == str(site / "acme_equiv" / "packs" / "widgets.yaml")
    # 100 widgets x 6 min = 600 min = 10 h; the chain goes on to labour cost at $45.65/h
    assert engine.convert("100 acme_widget", "manual_work").magnitude == pytest.approx(10.0)
    assert em.convert("100 acme_widget", "labor_cost").magnitude == pytest.approx(456.5)
    goods = {e.kind: e for e in em.feel_good("100 acme_widget")}
    assert goods["manual_work"].magnitude == pytest.approx(10.0)
    assert "hours of manual work eliminated" in goods["manual_work"].text


def test_plugin_examples_run_in_validate(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good_plugin(site)
    monkeypatch.setenv("EQUIVMETRICS_DISABLE_PLUGINS", "1")
    bundled_only = em.validate()
    monkeypatch.delenv("EQUIVMETRICS_DISABLE_PLUGINS")
    assert em.validate().examples_run == bundled_only.examples_run  # read when first built
    em.clear_cache()
    report = em.validate()
    assert report.ok, report.problems
    assert report.examples_run == bundled_only.examples_run + 1  # the plugin's one example


def test_the_cache_is_keyed_on_the_plugin_selection(site: Path) -> None:
    good_plugin(site)
    everything = em.load()
    assert em.load() is everything
    without = em.load(plugins=False)
    assert without is not everything
    assert em.load(plugins=False) is without
    assert "acme_widget" not in without.catalog.kinds
    chosen = em.load(plugins=["acme"])
    assert "acme_widget" in chosen.catalog.kinds
    assert em.load(plugins=["acme"]) is chosen


def test_plugins_follow_bundled_by_default(site: Path) -> None:
    good_plugin(site)
    productivity = CONVERSIONS / "productivity.yaml"
    alone = em.load(productivity, bundled=False)
    assert [p.name for p in alone.catalog.packs] == ["productivity"]
    both = em.load(productivity, bundled=False, plugins=True)
    assert [p.name for p in both.catalog.packs] == ["acme_widgets", "productivity"]
    # bundled packs, then plugins, then the paths given
    mine = site / "mine.yaml"
    mine.write_text(HEADER.format(name="mine"), encoding="utf-8")
    names = [p.name for p in em.load(mine).catalog.packs]
    assert names[-2:] == ["acme_widgets", "mine"]


def test_the_environment_variable_leaves_plugins_out(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_plugin(site)
    monkeypatch.setenv("EQUIVMETRICS_DISABLE_PLUGINS", "1")
    assert "acme_widget" not in em.load().catalog.kinds
    assert "acme_widget" not in em.default_engine().catalog.kinds
    assert "acme_widget" in em.load(plugins=True).catalog.kinds  # asked for explicitly


def test_an_attribute_naming_a_traversable_or_a_path(site: Path) -> None:
    init = textwrap.dedent(
        """
        from importlib import resources
        from pathlib import Path

        PACKS = resources.files(__name__) / "data"
        ONE = str(Path(__file__).parent / "data" / "widgets.yaml")
        """
    )
    files = {"acme_attr/__init__.py": init, "acme_attr/data/widgets.yaml": WIDGETS}
    install(site, "acme_attr", {"folder": "acme_attr:PACKS", "file": "acme_attr:ONE"}, files)
    folder = em.load(plugins=["folder"])
    assert folder.convert("100 acme_widget", "manual_work").magnitude == pytest.approx(10.0)
    file = em.load(plugins=["file"])
    assert file.catalog.packs[-1].origin == str(site / "acme_attr" / "data" / "widgets.yaml")


def test_a_plugin_in_a_subprocess_is_picked_up(site: Path) -> None:
    good_plugin(site)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("EQUIVMETRICS_DISABLE_PLUGINS", None)
    code = (
        "import equivmetrics as em\n"
        "print(em.load().catalog.packs[-1].name)\n"
        "print(round(em.convert('100 acme_widget', 'manual_work').magnitude, 6))\n"
        "print('acme_widget' in em.load(plugins=False).catalog.kinds)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["acme_widgets", "10.0", "False"]


# -- broken plugins -------------------------------------------------------------------------------


def test_a_plugin_that_fails_to_import(site: Path) -> None:
    files = package("acme_broken", {"widgets.yaml": WIDGETS}, init="import acme_no_such_module\n")
    install(site, "acme_broken", {"broken": "acme_broken.packs"}, files)
    with pytest.raises(em.PackError) as caught:
        em.load()
    message = str(caught.value)
    assert "plugin 'broken'" in message
    assert "acme_broken 1.0" in message  # the distribution
    assert "failed to import: ModuleNotFoundError" in message
    assert "acme_no_such_module" in message
    assert "plugins=False" in message
    assert "EQUIVMETRICS_DISABLE_PLUGINS" in message
    assert caught.value.problems[0].location.file == "<entry point equivmetrics.packs:broken>"
    # leaving plugins out works, and so does the default engine's shortcut with the variable set
    assert em.load(plugins=False).convert("420 kcal", "walking").magnitude == pytest.approx(75.0)
    with pytest.raises(em.PackError):
        em.convert("420 kcal", "walking")


def test_a_bad_pack_in_a_plugin_names_file_line_and_plugin(site: Path) -> None:
    bad = WIDGETS.replace(
        "    factor: acme_minutes_per_widget", "    factor: acme_minutes_per_widgets"
    )
    install(site, "acme_bad", {"bad": "acme_bad.packs"}, package("acme_bad", {"widgets.yaml": bad}))
    with pytest.raises(em.PackError) as caught:
        em.load()
    (problem,) = caught.value.problems
    path = site / "acme_bad" / "packs" / "widgets.yaml"
    assert problem.location.file == str(path)
    assert problem.location.line == line_of(path, "    factor: acme_minutes_per_widgets")
    assert "acme_minutes_per_widgets" in problem.message
    assert "did you mean 'acme_minutes_per_widget'" in problem.hint
    assert "plugin 'bad' (entry point acme_bad.packs of acme_bad 1.0)" in problem.hint


def test_a_yaml_shape_problem_in_a_plugin(site: Path) -> None:
    bad = WIDGETS.replace('edition: "2026.1"\n', "")
    install(
        site, "acme_shape", {"shape": "acme_shape.packs"}, package("acme_shape", {"w.yaml": bad})
    )
    with pytest.raises(em.PackError) as caught:
        em.load()
    text = problems_of(caught.value)
    assert str(site / "acme_shape" / "packs" / "w.yaml") in text
    assert "edition" in text
    assert "plugin 'shape'" in text


def test_a_plugin_without_pack_files(site: Path) -> None:
    install(site, "acme_empty", {"empty": "acme_empty.packs"}, package("acme_empty", {}))
    with pytest.raises(em.PackError, match=r"plugin 'empty' .*acme_empty 1\.0.* no \.yaml"):
        em.load()


def test_a_plugin_naming_a_plain_module(site: Path) -> None:
    files = {"acme_mod.py": "", "widgets.yaml": WIDGETS}
    install(site, "acme_mod", {"mod": "acme_mod"}, files)
    with pytest.raises(
        em.PackError, match=r"plugin 'mod' .*module 'acme_mod', which is not a package"
    ):
        em.load()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("acme_val:MISSING_PATH", r"names '.*nowhere\.yaml', which does not exist"),
        ("acme_val:NUMBER", r"gives a int; an attribute must be a path"),
        ("acme_val:NOPE", r"failed to import: AttributeError"),
    ],
)
def test_bad_attribute_values(site: Path, value: str, message: str) -> None:
    init = "MISSING_PATH = '/nowhere/nowhere.yaml'\nNUMBER = 3\n"
    install(site, "acme_val", {"val": value}, {"acme_val/__init__.py": init})
    with pytest.raises(em.PackError, match=message) as caught:
        em.load()
    assert "plugin 'val'" in str(caught.value)


def test_choosing_a_plugin_that_is_not_installed(site: Path) -> None:
    good_plugin(site)
    with pytest.raises(em.PackError) as caught:
        em.load(plugins=["acme", "acme_nope"])
    (problem,) = caught.value.problems
    assert "no installed plugin is named 'acme_nope'" in problem.message
    assert "installed: acme" in problem.hint


def test_a_failed_plugin_load_leaves_no_units_behind(site: Path) -> None:
    # the plugin adds a unit, then fails on its kind: the unit must not stay in the registry
    bad = (
        WIDGETS.replace("acme_widget:\n    definition", "acme_gadget:\n    definition")
        .replace('"[acme_widget]"', '"[acme_gadget]"')
        .replace("  acme_widget:\n    unit: acme_widget", "  co2e:\n    unit: acme_gadget")
    )
    install(site, "acme_left", {"left": "acme_left.packs"}, package("acme_left", {"w.yaml": bad}))
    assert "acme_gadget" not in _units.get_registry()
    with pytest.raises(em.PackError, match="kind 'co2e' of pack 'acme_widgets'"):
        em.load()
    assert "acme_gadget" not in _units.get_registry()


# -- conflicts with the bundled packs and with pint -----------------------------------------------


def conflicting(site: Path, body: str) -> tuple[em.PackError, Path]:
    text = HEADER.format(name="acme_conflict") + body
    files = package("acme_conflict", {"conflict.yaml": text})
    install(site, "acme_conflict", {"conflict": "acme_conflict.packs"}, files)
    with pytest.raises(em.PackError) as caught:
        em.load()
    return caught.value, site / "acme_conflict" / "packs" / "conflict.yaml"


@pytest.mark.parametrize("unit", ["kWh", "meter", "transaction", "USD"])
def test_redefining_a_built_in_unit(site: Path, unit: str) -> None:
    error, path = conflicting(site, f"units:\n  {unit}:\n    definition: 3 kg\n")
    (problem,) = error.problems
    assert problem.location.file == str(path)
    assert problem.location.line == line_of(path, f"  {unit}:")
    assert f"unit {unit!r} is already defined as" in problem.message
    assert "a built-in unit of equivmetrics' registry" in problem.message
    assert "never redefine" in problem.message
    assert "plugin 'conflict'" in problem.hint


def test_redefining_a_unit_of_a_bundled_pack(site: Path) -> None:
    error, path = conflicting(site, "units:\n  invoice:\n    definition: 3 kg\n")
    (problem,) = error.problems
    bundled_line = line_of(CONVERSIONS / "productivity.yaml", "  invoice:")
    assert problem.location == em.Location(str(path), line_of(path, "  invoice:"), 3)
    # the place the process first read the pack from: the bundled copy, or the repository's
    # conversions/ folder it links to when a test loaded that file first
    owners = {str(bundled("productivity")), str(CONVERSIONS / "productivity.yaml")}
    assert any(
        f"(defined by pack 'productivity' at {owner}:{bundled_line}:3)" in problem.message
        for owner in owners
    ), problem.message


def test_redefining_a_bundled_kind(site: Path) -> None:
    body = "kinds:\n  co2e:\n    unit: kg\n    label: {one: kilo, other: kilos}\n    icon: leaf\n"
    error, path = conflicting(site, body)
    (problem,) = error.problems
    bundled_line = line_of(CONVERSIONS / "epa_ghg.yaml", "  co2e:")
    assert problem.location.file == str(path)
    assert problem.location.line == line_of(path, "  co2e:")
    assert problem.message == (
        "kind 'co2e' of pack 'acme_conflict' is already defined by pack 'epa_ghg' at "
        f"{bundled('epa_ghg')}:{bundled_line}:3"
    )


def test_redefining_a_bundled_parameter(site: Path) -> None:
    body = "parameters:\n  body_mass:\n    value: 50 kg\n    source: acme_study\n"
    error, path = conflicting(site, body)
    (problem,) = error.problems
    bundled_line = line_of(CONVERSIONS / "pace.yaml", "  body_mass:")
    assert problem.location.line == line_of(path, "  body_mass:")
    assert problem.message == (
        "parameter 'body_mass' of pack 'acme_conflict' is already defined by pack 'pace' at "
        f"{bundled('pace')}:{bundled_line}:3"
    )


@pytest.mark.parametrize("claimed", ["kWh", "TWh", "kcal"])
def test_claiming_a_claimed_input_unit(site: Path, claimed: str) -> None:
    unit = "kJ" if claimed == "kcal" else "kWh"
    body = (
        f"kinds:\n  acme_energy:\n    unit: {unit}\n    input_units: [{claimed}]\n"
        "    label: {one: unit of energy, other: units of energy}\n    icon: bolt\n"
    )
    error, path = conflicting(site, body)
    (problem,) = error.problems
    owner, pack_file = (
        ("food_energy", "pace.yaml")
        if claimed == "kcal"
        else ("electricity_avoided", "epa_ghg.yaml")
    )
    owner_line = line_of(CONVERSIONS / pack_file, f"  {owner}:")
    pack = pack_file.removesuffix(".yaml")
    assert problem.location.file == str(path)
    assert problem.message == (
        f"{claimed!r} of pack 'acme_conflict' is already claimed by kind {owner!r} of pack "
        f"{pack!r} at {bundled(pack)}:{owner_line}:3"
    )
    assert "default input of one kind only" in problem.hint


def test_a_rule_id_used_by_a_bundled_pack(site: Path) -> None:
    body = (
        "rules:\n  - id: transaction_manual_work\n    from: transaction\n    to: manual_work\n"
        "    factor: 2 min/transaction\n    source: acme_study\n"
    )
    error, _ = conflicting(site, body)
    assert "rule id 'transaction_manual_work' of pack 'acme_conflict' is already used by pack " in (
        problems_of(error)
    )


# -- two plugins against each other ----------------------------------------------------------------


def test_two_plugins_conflicting_with_each_other(site: Path) -> None:
    first = (
        HEADER.format(name="acme_one")
        + "units:\n  acme_crate:\n    definition: 12 kg\n"
        + "kinds:\n  acme_box:\n    unit: acme_crate\n    label: {one: box, other: boxes}\n"
        + "    icon: receipt\n"
    )
    second = (
        HEADER.format(name="acme_two")
        + "units:\n  acme_crate:\n    definition: 10 kg\n"
        + "kinds:\n  acme_box:\n    unit: kg\n    label: {one: box, other: boxes}\n"
        + "    icon: receipt\n"
    )
    install(site, "acme_one", {"one": "acme_one.packs"}, package("acme_one", {"p.yaml": first}))
    install(site, "acme_two", {"two": "acme_two.packs"}, package("acme_two", {"p.yaml": second}))
    with pytest.raises(em.PackError) as caught:
        em.load()
    one = site / "acme_one" / "packs" / "p.yaml"
    two = site / "acme_two" / "packs" / "p.yaml"
    unit, kind = caught.value.problems
    assert unit.location == em.Location(str(two), line_of(two, "  acme_crate:"), 3)
    assert unit.message == (
        "unit 'acme_crate' is already defined as 12 kg (defined by pack 'acme_one' at "
        f"{one}:{line_of(one, '  acme_crate:')}:3); a pack may add units but never redefine one"
    )
    assert "plugin 'two' (entry point acme_two.packs of acme_two 1.0)" in unit.hint
    assert kind.location == em.Location(str(two), line_of(two, "  acme_box:"), 3)
    assert kind.message == (
        f"kind 'acme_box' of pack 'acme_two' is already defined by pack 'acme_one' at "
        f"{one}:{line_of(one, '  acme_box:')}:3"
    )
    # the failed load left no unit behind; each plugin alone is fine, with its own crate
    assert "acme_crate" not in _units.get_registry()
    engine_one = em.load(plugins=["one"])
    assert "acme_box" in engine_one.catalog.kinds
    engine_two = em.load(plugins=["two"])  # acme_crate is 12 kg to engine one only
    assert engine_one.registry.Quantity(1, "acme_crate").to("kg").magnitude == pytest.approx(12)
    assert engine_two.registry.Quantity(1, "acme_crate").to("kg").magnitude == pytest.approx(10)


def test_a_plugin_pack_with_the_name_of_a_bundled_pack(site: Path) -> None:
    text = WIDGETS.replace("name: acme_widgets", "name: pace")
    install(site, "acme_name", {"name": "acme_name.packs"}, package("acme_name", {"w.yaml": text}))
    with pytest.raises(em.PackError) as caught:
        em.load()
    path = site / "acme_name" / "packs" / "w.yaml"
    problem = caught.value.problems[0]
    assert problem.location.file == str(path)
    assert problem.message == f"pack 'pace' is loaded twice (also from {bundled('pace')})"
    assert "plugin 'name'" in problem.hint


def test_two_plugins_starting_the_same_dimension(site: Path) -> None:
    first = HEADER.format(name="acme_base") + 'units:\n  acme_base:\n    definition: "[acme_d]"\n'
    second = HEADER.format(name="acme_twin") + 'units:\n  acme_twin:\n    definition: "[acme_d]"\n'
    install(site, "acme_base", {"base": "acme_base.packs"}, package("acme_base", {"p.yaml": first}))
    install(
        site, "acme_twin", {"twin": "acme_twin.packs"}, package("acme_twin", {"p.yaml": second})
    )
    with pytest.raises(em.PackError) as caught:
        em.load()
    (problem,) = caught.value.problems
    base = site / "acme_base" / "packs" / "p.yaml"
    assert problem.location.file == str(site / "acme_twin" / "packs" / "p.yaml")
    assert problem.message.startswith(
        "cannot define unit 'acme_twin' as '[acme_d]': that dimension already exists (the "
        f"dimension of unit 'acme_base', defined by pack 'acme_base' at {base}:"
    )
    # the failed load took back acme_base, dimension and all: loading it alone works again
    assert "acme_base" not in _units.get_registry()
    assert em.load(plugins=["base"]).catalog.packs[-1].name == "acme_base"
