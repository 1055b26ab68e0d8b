"""Safe YAML reading: plain values only, locations kept, YAML 1.1 surprises off, limits."""

from __future__ import annotations

import math
import tracemalloc
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import equivmetrics as em
from equivmetrics._packs import yaml as _yaml
from equivmetrics._packs.yaml import LocatedDict, LocatedList, YamlFailure, read_yaml
from strategies import SETTINGS


def fails(text: str, limits: em.Limits | None = None) -> em.Problem:
    with pytest.raises(YamlFailure) as info:
        read_yaml(text, "t.yaml", limits)
    problem = info.value.problem
    assert problem.location.file == "t.yaml"
    return problem


# -- YAML 1.1 surprises ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["NO", "no", "No", "yes", "Yes", "YES", "on", "On", "off", "OFF", "y", "n", "Y", "N"],
)
def test_yaml_11_booleans_stay_text(text: str) -> None:
    assert read_yaml(f"a: {text}", "t.yaml") == {"a": text}


@pytest.mark.parametrize(
    ("text", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)]
)
def test_true_and_false_are_booleans(text: str, value: bool) -> None:
    assert read_yaml(f"a: {text}", "t.yaml")["a"] is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0777", 777),  # not octal (YAML 1.1 would read 511)
        ("1:20", "1:20"),  # not sexagesimal (YAML 1.1 would read 80)
        ("190:20:30", "190:20:30"),
        ("0x1F", "0x1F"),  # not hexadecimal
        ("1_000", "1_000"),  # YAML 1.1 underscores are not digit separators here
        ("12", 12),
        ("-3", -3),
        ("+4", 4),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1e3", 1000.0),  # YAML 1.2 reads exponents without a dot (1.1 does not)
        ("2.5E-2", 0.025),
        ("12 kWh", "12 kWh"),
        ("~", None),
        ("null", None),
        ("", None),
    ],
)
def test_scalars_follow_yaml_12_core(text: str, value: Any) -> None:
    got = read_yaml(f"a: {text}", "t.yaml")["a"]
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize(("text", "sign"), [(".inf", 1), ("-.inf", -1), ("+.INF", 1)])
def test_infinities(text: str, sign: int) -> None:
    value = read_yaml(f"a: {text}", "t.yaml")["a"]
    assert math.isinf(value)
    assert math.copysign(1, value) == sign


def test_nan() -> None:
    assert math.isnan(read_yaml("a: .nan", "t.yaml")["a"])


def test_quoted_values_are_text() -> None:
    assert read_yaml("a: 'true'\nb: \"12\"\nc: '0777'", "t.yaml") == {
        "a": "true",
        "b": "12",
        "c": "0777",
    }


def test_huge_integer_literal_is_refused() -> None:
    problem = fails("a: " + "9" * 5000)
    assert "too long" in problem.message


@SETTINGS
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_integers_round_trip(number: int) -> None:
    assert read_yaml(f"a: {number}", "t.yaml")["a"] == number


# -- locations --------------------------------------------------------------------------------


def test_values_remember_where_they_were_written() -> None:
    text = "top:\n  name: x\n  items:\n    - 1\n    - two\n"
    data = read_yaml(text, "t.yaml")
    assert isinstance(data, LocatedDict)
    top = data["top"]
    assert isinstance(top, LocatedDict)
    assert top.location == em.Location("t.yaml", 2, 3)
    assert top.key_locations["name"] == em.Location("t.yaml", 2, 3)
    assert top.key_locations["items"] == em.Location("t.yaml", 3, 3)
    items = top["items"]
    assert isinstance(items, LocatedList)
    assert items == [1, "two"]
    assert items.item_locations == [em.Location("t.yaml", 4, 7), em.Location("t.yaml", 5, 7)]


def test_empty_document_is_none() -> None:
    assert read_yaml("", "t.yaml") is None
    assert read_yaml("# only a comment\n", "t.yaml") is None


# -- duplicate keys -------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_occurrence() -> None:
    problem = fails("a: 1\nb:\n  c: 2\n  d: 3\n  c: 4\n")
    assert problem.location.line == 5  # the second 'c'
    assert "duplicate key 'c'" in problem.message
    assert "line 3" in problem.message  # where the first one was written


def test_duplicate_top_level_key() -> None:
    problem = fails("name: a\nedition: 1\nname: b\n")
    assert problem.location.line == 3
    assert "'name'" in problem.message


def test_same_key_in_different_mappings_is_fine() -> None:
    assert read_yaml("a: {x: 1}\nb: {x: 2}\n", "t.yaml") == {"a": {"x": 1}, "b": {"x": 2}}


# -- refused constructs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\nb: !!python/object/apply:os.system ['echo hi']\n", 2),
        ("a: !!python/name:os.system\n", 1),
        ("a: 1\nb: 2\nc: !!python/object:collections.OrderedDict {}\n", 3),
        ("a: !!binary aGVsbG8=\n", 1),
        ("a: !!set {x, y}\n", 1),
        ("a: !custom 3\n", 1),
        ("a: !!timestamp 2001-12-14\n", 1),
    ],
)
def test_tags_are_refused_with_their_line(text: str, line: int) -> None:
    problem = fails(text)
    assert problem.location.line == line
    assert "unsupported tag" in problem.message


def test_timestamps_stay_text() -> None:
    # YAML 1.1 would make a datetime.date out of this
    assert read_yaml("a: 2001-12-14", "t.yaml") == {"a": "2001-12-14"}


def test_merge_keys_do_not_merge() -> None:
    # YAML 1.2 has no merge keys: '<<' stays an ordinary key (which a pack then reports as an
    # unknown field), and nothing is copied in from the anchor.
    data = read_yaml("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n", "t.yaml")
    assert data == {"base": {"x": 1}, "other": {"<<": {"x": 1}, "y": 2}}


def test_complex_keys_are_refused() -> None:
    problem = fails("? [a, b]\n: 1\n")
    assert "keys" in problem.message


def test_syntax_error_names_line_and_column() -> None:
    problem = fails("a: 1\nb:\n  c: d: e\n")
    assert problem.location.line == 3
    assert problem.location.column > 0
    assert "not valid YAML" in problem.message


def test_several_documents_are_refused() -> None:
    problem = fails("a: 1\n---\nb: 2\n")
    assert "not valid YAML" in problem.message


def test_aliases_to_plain_values_are_expanded() -> None:
    assert read_yaml("a: &x [1, 2]\nb: *x\n", "t.yaml") == {"a": [1, 2], "b": [1, 2]}


# -- limits -----------------------------------------------------------------------------------


def test_max_bytes() -> None:
    text = "a: " + "x" * 200
    assert read_yaml(text, "t.yaml", em.Limits(max_bytes=1000)) == {"a": "x" * 200}
    problem = fails(text, em.Limits(max_bytes=100))
    assert "bytes" in problem.message
    assert "100" in problem.message


def test_max_bytes_counts_bytes_not_characters() -> None:
    text = "a: " + "é" * 40  # 3 + 40 x 2 = 83 bytes, 43 characters
    problem = fails(text, em.Limits(max_bytes=60))
    assert "83" in problem.message


def test_max_nodes() -> None:
    # a mapping with 3 items: 1 mapping + 3 keys + 3 values = at most 7 values
    text = "a: 1\nb: 2\nc: 3\n"
    assert read_yaml(text, "t.yaml", em.Limits(max_nodes=7)) == {"a": 1, "b": 2, "c": 3}
    problem = fails("items: [" + ", ".join(["1"] * 50) + "]", em.Limits(max_nodes=20))
    assert "20" in problem.message


def test_max_depth() -> None:
    nested = "a: " + "[" * 10 + "]" * 10
    assert read_yaml(nested, "t.yaml", em.Limits(max_depth=20)) is not None
    problem = fails(nested, em.Limits(max_depth=5))
    assert "deeper" in problem.message


def test_default_limits_are_generous_but_finite() -> None:
    limits = em.Limits()
    assert limits.max_bytes >= 1024 * 1024
    assert 1000 <= limits.max_nodes <= 10_000_000
    assert 16 <= limits.max_depth <= 1000


@pytest.mark.parametrize("composer", ["default", "pure_python"])
def test_very_deep_nesting_is_a_problem_not_a_crash(
    composer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Far deeper than max_depth and than Python's recursion limit: refused with a location,
    # never a RecursionError -- also with the pure-Python composer used without libyaml.
    if composer == "pure_python":
        monkeypatch.setattr(_yaml, "_Composer", _yaml._PyComposer)
    problem = fails("a: " + "[" * 5000 + "]" * 5000)
    assert problem.location.line == 1


def _bomb(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_with_bounded_memory() -> None:
    text = _bomb(9)  # 9**9 = 387,420,489 strings once expanded
    tracemalloc.start()
    try:
        problem = fails(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "alias" in problem.message
    assert 1 <= problem.location.line <= 10
    # refused before expanding: far below the ~3 GB the expanded strings would need
    assert peak < 100 * 1024 * 1024


@SETTINGS
@given(
    strings=st.integers(1, 6),
    fan=st.integers(1, 6),
    levels=st.integers(0, 4),
    max_nodes=st.integers(1, 3000),
)
def test_the_node_limit_counts_each_expansion_exactly(
    strings: int, fan: int, levels: int, max_nodes: int
) -> None:
    # l0 lists `strings` strings; each further level lists `fan` aliases of the one before.
    # Counted here: the document 1, l0 1 + strings, each level 1 + fan x the level before.
    lines = ["l0: &l0 [" + ", ".join(["x"] * strings) + "]"]
    size = 1 + strings
    total = 1 + size
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * fan) + "]")
        size = 1 + fan * size
        total += size
    text = "\n".join(lines) + "\n"
    limits = em.Limits(max_nodes=max_nodes)
    if total <= max_nodes:
        assert read_yaml(text, "t.yaml", limits)["l0"] == ["x"] * strings
    else:
        problem = fails(text, limits)
        assert problem.message == f"more than {max_nodes} values (counting each alias expansion)"


def test_alias_expansions_count_against_the_node_limit() -> None:
    # l0 is a list of 9 strings (10 values), l1 expands to 1 + 9 x 10 = 91 values and l2 to
    # 1 + 9 x 91 = 820: far above 50, although the text holds only a few dozen nodes.
    problem = fails(_bomb(2), em.Limits(max_nodes=50))
    assert "50" in problem.message
