"""Loading pack files: every fault reported with file, line and field; nothing half loaded.

Each file under tests/packs/bad/ holds one kind of fault (several_* files hold several), and
marks every line it wrote a fault on with ``# FAULT``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._packs.load import parse_pack

TESTS = Path(__file__).resolve().parent
BAD = TESTS / "packs" / "bad"
GOOD = TESTS / "packs" / "good"
CLASH = TESTS / "packs" / "clash"
PRODUCTIVITY = TESTS.parent / "conversions" / "productivity.yaml"
BAD_FILES = sorted(BAD.glob("*.yaml"))

HEADER = 'equivmetrics: 1\nname: {name}\nedition: "1"\nlicense: MIT\n'


def load_error(*paths: Path, limits: em.Limits | None = None) -> em.PackError:
    with pytest.raises(em.PackError) as info:
        em.load(*paths, bundled=False, limits=limits)
    return info.value


def fault_lines(path: Path) -> set[int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, 1) if "# FAULT" in line}


def only(error: em.PackError) -> em.Problem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


def test_there_are_bad_fixtures() -> None:
    assert len(BAD_FILES) >= 12


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_every_bad_pack_is_refused_with_its_file_and_line(path: Path) -> None:
    error = load_error(path)
    assert isinstance(error, em.EquivMetricsError)
    assert isinstance(error, ValueError)
    assert error.problems
    text = str(error)
    for problem in error.problems:
        assert problem.location.file == str(path)
        assert problem.location.line > 0
        assert f"{path}:{problem.location.line}" in text
        assert problem.message
    # every problem points at a line where the fixture wrote a fault
    assert {p.location.line for p in error.problems} <= fault_lines(path)


@pytest.mark.parametrize("path", BAD_FILES, ids=lambda p: p.stem)
def test_bad_pack_with_a_good_one_builds_nothing(path: Path) -> None:
    # A good pack next to a bad one does not rescue the load: no engine is returned.
    error = load_error(GOOD / "preferred.yaml", path)
    assert all(p.location.file == str(path) for p in error.problems)


@pytest.mark.parametrize(
    ("name", "line", "field", "fragments"),
    [
        ("unknown_unit", 8, "kinds.energy.unit", ["'kWhh'", "did you mean", "'kWh'"]),
        ("wrong_dimension", 15, "rules.tx_work.factor", ["3 kg/transaction", "[mass]", "[time]"]),
        ("duplicate_key", 10, "", ["duplicate key 'unit'", "line 8"]),
        ("missing_field", 12, "rules[0].to", ["missing required field"]),
        ("wrong_type_list", 6, "kinds", ["expected a mapping", "list"]),
        ("reversible_no", 17, "rules[0].reversible", ["'no'", "true or false"]),
        ("syntax_error", 8, "", ["not valid YAML"]),
        ("python_tag", 6, "", ["unsupported tag", "python/object/apply"]),
        ("format_version", 2, "equivmetrics", ["format version must be 1"]),
        ("negative_factor", 15, "rules.ab.factor", ["positive"]),
        ("unsourced_rule", 10, "rules.ab", ["no source"]),
        ("range_excludes_value", 9, "parameters.rate", ["range must contain the value"]),
        ("overflow_parameter", 9, "parameters.huge", []),
        ("unit_definition", 7, "units.emtest_bad_definition", ["kWhh"]),
        ("derived_cycle", 9, "parameters.a", ["computed from itself", "a -> b -> a"]),
        ("derived_with_range", 10, "parameters.twice", ["'base'", "range", "'low'"]),
        ("derived_unknown_name", 11, "parameters.worked_hours", ["'paid_hour'", "'paid_hours'"]),
    ],
)
def test_one_fault_one_problem(name: str, line: int, field: str, fragments: list[str]) -> None:
    path = BAD / f"{name}.yaml"
    assert line in fault_lines(path)  # the fixture marks the line this test expects
    problem = only(load_error(path))
    assert problem.location.line == line
    assert problem.field == field
    for fragment in fragments:
        assert fragment in problem.message + problem.hint
    if field:
        assert f"{path}:{line}" in str(problem)
        assert field in str(problem)


def test_unknown_parameter_points_at_the_name_in_the_factor() -> None:
    # Line 17 is '    factor: 1 / hours_per_fte_yr': the value starts at column 13 and the name
    # is its 5th character, so column 17.
    path = BAD / "unknown_parameter.yaml"
    problem = only(load_error(path))
    assert (problem.location.line, problem.location.column) == (17, 17)
    assert problem.field == "rules.work_staff.factor"
    assert "'hours_per_fte_yr'" in problem.message
    assert "did you mean 'hours_per_fte_year'" in problem.hint


def test_inconsistent_cycle_names_the_product() -> None:
    # a -> b -> c -> a: 2 m/kg x 3 s/m / (5 s/kg) = 6/5 = 1.2, not 1.
    path = BAD / "inconsistent_cycle.yaml"
    problem = only(load_error(path))  # one cycle, reported once (not once per rule in it)
    assert problem.location.line in {13, 14, 15}
    assert problem.field.startswith("rules.")
    assert "cycle" in problem.message
    assert "multiply to 1.2" in problem.message or "multiply to 0.833333" in problem.message


def test_ambiguous_paths_name_both_paths() -> None:
    path = BAD / "ambiguous_paths.yaml"
    problem = only(load_error(path))  # only a..d is ambiguous: b..c has a direct rule
    assert problem.location.line in {15, 17}  # the first rule of either path
    assert problem.field in {"rules.ab", "rules.ac"}
    assert "'a'" in problem.message
    assert "'d'" in problem.message
    assert "ab, bd" in problem.message
    assert "ac, cd" in problem.message
    assert "preferred" in problem.hint


def test_alias_bomb_is_refused() -> None:
    # refused before expansion: test_yaml bounds its memory, tests/test_fuzz_packs its time
    path = BAD / "alias_bomb.yaml"
    problem = only(load_error(path))
    assert "alias" in problem.message + problem.hint
    assert 7 <= problem.location.line <= 15


def test_several_faults_are_all_reported() -> None:
    path = BAD / "several_faults.yaml"
    error = load_error(path)
    found = {(p.location.line, p.field) for p in error.problems}
    assert found == {
        (9, "kinds.a.unit"),
        (12, "parameters.rate.source"),
        (14, "rules[0].reversible"),
        (15, "pack.rulez"),
    }
    rulez = next(p for p in error.problems if p.field == "pack.rulez")
    assert "did you mean 'rules'" in rulez.hint
    assert str(error).startswith("4 problems")


def test_several_meaning_faults_are_all_reported() -> None:
    path = BAD / "several_catalog_faults.yaml"
    error = load_error(path)
    found = {(p.location.line, p.field) for p in error.problems}
    assert found == {(11, "kinds.c.unit"), (13, "rules.ab.factor"), (14, "rules.ba")}
    assert any("'z'" in p.message for p in error.problems)


def test_faults_in_several_files_are_reported_together() -> None:
    first, second = BAD / "missing_field.yaml", BAD / "reversible_no.yaml"
    error = load_error(first, second)
    assert {p.location.file for p in error.problems} == {str(first), str(second)}


def test_failed_load_leaves_no_units_behind(tmp_path: Path) -> None:
    # A load that fails changes nothing: the pack's units are not left in the registry, so the
    # fixed pack (here with another definition) loads in the same process (a notebook).
    broken = tmp_path / "half.yaml"
    broken.write_text(
        HEADER.format(name="half")
        + "units:\n  emtest_half_unit: 5 kg\nkinds:\n  thing: {unit: kWhh}\n",
        encoding="utf-8",
    )
    load_error(broken)
    assert "emtest_half_unit" not in em.get_registry()
    broken.write_text(
        HEADER.format(name="half")
        + "units:\n  emtest_half_unit: 6 kg\nkinds:\n  thing: {unit: emtest_half_unit}\n",
        encoding="utf-8",
    )
    em.load(broken, bundled=False)


# -- paths, folders and files -----------------------------------------------------------------


def test_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    problem = only(load_error(missing))
    assert problem.location.file == str(missing)
    assert "no such file" in problem.message


def test_folder_without_packs(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a pack", encoding="utf-8")
    problem = only(load_error(tmp_path))
    assert "no .yaml" in problem.message


def test_folder_loads_yaml_and_yml_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HEADER.format(name="folder_a"), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yml").write_text(HEADER.format(name="folder_b"), encoding="utf-8")
    (tmp_path / "c.txt").write_text("not: [a pack", encoding="utf-8")
    engine = em.load(tmp_path, bundled=False)
    assert sorted(p.name for p in engine.catalog.packs) == ["folder_a", "folder_b"]


def test_folder_of_good_packs() -> None:
    engine = em.load(GOOD, bundled=False)
    assert sorted(p.name for p in engine.catalog.packs) == [
        "test_base_unit",
        "test_energy",
        "test_not_via",
        "test_preferred",
    ]


def test_accepts_str_and_path() -> None:
    by_path = em.load(GOOD / "preferred.yaml", bundled=False)
    by_str = em.load(str(GOOD / "preferred.yaml"), bundled=False)
    assert set(by_path.kinds) == set(by_str.kinds) == {"a", "b", "c", "d"}


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(HEADER.format(name="latin").encode() + "title: caf\xe9\n".encode("latin-1"))
    problem = only(load_error(path))
    assert "UTF-8" in problem.message


def test_binary_content(tmp_path: Path) -> None:
    path = tmp_path / "nul.yaml"
    path.write_bytes(HEADER.format(name="nul").encode() + b"title: a\x00b\n")
    problem = only(load_error(path))
    assert "NUL" in problem.message


@pytest.mark.parametrize(
    ("text", "got"), [("", "nothing"), ("- a\n- b\n", "list"), ("just text\n", "text")]
)
def test_top_level_must_be_a_mapping(tmp_path: Path, text: str, got: str) -> None:
    path = tmp_path / "top.yaml"
    path.write_text(text, encoding="utf-8")
    problem = only(load_error(path))
    assert problem.location.line == 1
    assert "expected a mapping" in problem.message
    assert got in problem.message


def test_missing_header_fields_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "bare.yaml"
    path.write_text("title: nothing else\n", encoding="utf-8")
    error = load_error(path)
    fields = {p.field for p in error.problems}
    assert {"equivmetrics", "pack.name", "pack.edition", "pack.license"} <= fields


def test_limits_apply_to_loading() -> None:
    problem = only(load_error(GOOD / "energy.yaml", limits=em.Limits(max_bytes=200)))
    assert "bytes" in problem.message
    problem = only(load_error(GOOD / "energy.yaml", limits=em.Limits(max_depth=2)))
    assert "deeper" in problem.message
    problem = only(load_error(GOOD / "energy.yaml", limits=em.Limits(max_nodes=30)))
    assert "30" in problem.message


def test_same_pack_twice_in_one_load() -> None:
    path = GOOD / "preferred.yaml"
    error = load_error(path, path)
    assert any("loaded twice" in p.message for p in error.problems)


def test_kind_defined_by_two_packs() -> None:
    problem = only(load_error(CLASH))
    assert problem.location == em.Location(str(CLASH / "second.yaml"), 6, 3)
    assert problem.field == "kinds.thing"
    assert str(CLASH / "first.yaml") in problem.message


def test_pack_units_load_again_in_the_same_process() -> None:
    # Loading the same pack twice (two engines, a notebook re-run) is not a redefinition.
    path = GOOD / "base_unit.yaml"
    first = em.load(path, bundled=False)
    second = em.load(path, bundled=False)
    # 2 crates x 12 widgets = 24 widgets; 24 / 6 widgets per box = 4 boxes
    for engine in (first, second):
        assert engine.convert("2 emtest_crate", "box").magnitude == pytest.approx(4, rel=1e-12)
        assert engine.convert("2 emtest_cr", "box").magnitude == pytest.approx(4, rel=1e-12)


# -- what a valid pack becomes ----------------------------------------------------------------


def test_parse_pack_keeps_what_was_written() -> None:
    text = (GOOD / "energy.yaml").read_text(encoding="utf-8")
    pack, problems = parse_pack(text, "energy.yaml")
    assert problems == []
    assert pack is not None
    assert (pack.name, pack.edition, pack.title) == ("test_energy", "2024.1", "Test energy pack")
    assert pack.origin == "energy.yaml"
    kinds = {k.name: k for k in pack.kinds}
    assert kinds["electricity"].unit == "kWh"
    assert kinds["electricity"].input_units == ("kWh",)
    assert kinds["electricity"].label_one == "kilowatt-hour of electricity"
    assert kinds["electricity"].label_other == "kilowatt-hours of electricity"
    assert kinds["heat"].label_one == "heat"  # no label: the name
    params = {p.name: p for p in pack.parameters}
    grid = params["grid_intensity"]
    assert (grid.value, grid.low, grid.high) == ("0.4 kg/kWh", "0.3 kg/kWh", "0.5 kg/kWh")
    assert grid.source.publisher == "Test Agency"
    assert grid.edition == "2024"  # inherited from the source
    rules = {r.id: r for r in pack.rules}
    assert rules["co2e_gasoline"].factor == "1 / co2_per_gallon"
    assert rules["co2e_gasoline"].reversible is True  # reversible by default
    assert rules["co2e_tree"].reversible is False
    assert rules["electricity_co2e"].location.line == 43


def test_numbers_are_accepted_where_text_is_natural(tmp_path: Path) -> None:
    text = (
        "equivmetrics: 1\nname: numbers\nedition: 2024\nlicense: MIT\n"
        "sources:\n  s: {title: T}\n"
        "parameters:\n  share: {value: 0.7, low: 0.5, high: 1, source: s}\n"
    )
    pack, problems = parse_pack(text, "numbers.yaml")
    assert problems == []
    assert pack is not None
    assert pack.edition == "2024"
    share = pack.parameters[0]
    assert (share.value, share.low, share.high) == ("0.7", "0.5", "1")


@pytest.mark.parametrize(
    ("snippet", "field", "line"),
    [
        ("kinds:\n  k: {unit: kg, input_units: {a: 1}}\n", "kinds.k.input_units", 6),
        ("kinds:\n  9k: {unit: kg}\n", "kinds.9k", 6),
        ("kinds:\n  k: {unit: kg, label: [a]}\n", "kinds.k.label", 6),
        ("kinds:\n  k: {unit: kg, colour: red}\n", "kinds.k.colour", 6),
        ("sources:\n  s: {title: T, year: 2020}\n", "sources.s.year", 6),
        ("rules: {a: b}\n", "rules", 5),
        ("rules:\n  - {from: a, to: a, factor: 1}\n", "rules[0]", 6),
        (
            "examples:\n  - {given: 1 kg, to: k, expect: 1 kg, tolerance: 2}\n",
            "examples[0].tolerance",
            6,
        ),
    ],
)
def test_shape_problems(snippet: str, field: str, line: int) -> None:
    text = HEADER.format(name="shape") + snippet
    pack, problems = parse_pack(text, "shape.yaml")
    assert pack is None
    assert [(p.field, p.location.line) for p in problems] == [(field, line)]


def test_yes_is_text_where_text_is_expected() -> None:
    # 'yes' is plain text in a pack (YAML 1.2 core schema): a fine icon name, not a boolean
    pack, problems = parse_pack(
        HEADER.format(name="icon") + "kinds:\n  k: {unit: kg, icon: yes}\n", "icon.yaml"
    )
    assert problems == []
    assert pack is not None
    assert pack.kinds[0].icon == "yes"


def test_parameter_assumption_must_be_a_boolean() -> None:
    text = HEADER.format(name="flag") + (
        "sources:\n  s: {title: T}\nparameters:\n  p: {value: 2 kg, source: s, assumption: yes}\n"
    )
    pack, problems = parse_pack(text, "flag.yaml")
    assert pack is None
    assert [(p.field, p.location.line) for p in problems] == [("parameters.p.assumption", 8)]
    assert "'yes'" in problems[0].message


def test_productivity_pack_loads_alone(prod: em.Engine) -> None:
    assert [p.name for p in prod.catalog.packs] == ["productivity"]
    assert {"transaction", "manual_work", "fte", "labor_cost"} <= set(prod.kinds)
    assert prod.catalog.packs[0].origin == str(PRODUCTIVITY)
