"""docs/pack-format.md is complete: its field reference and the JSON Schema agree, and its
complete example pack, written out from the page, shows its own kind in both roles."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "pack-format.md"
_TABLE = re.compile(r"<!-- fields: (\w+) -->\n(?:(?!\|)[^\n]*\n)*?((?:\|[^\n]*\n)+)")


def _documented() -> dict[str, set[str]]:
    """Each field table of the page: object name -> the fields its rows name."""
    tables = {}
    for name, table in _TABLE.findall(PAGE.read_text(encoding="utf-8")):
        rows = table.splitlines()[2:]  # after the header and the rule
        tables[name] = {re.match(r"\| `([a-z_]+)` \|", row).group(1) for row in rows}
    return tables


def _schema_fields(schema: dict[str, Any]) -> dict[str, set[str]]:
    """The schema's properties, per object, named as the page names its tables."""

    def entry(section: str) -> dict[str, Any]:
        node = schema["properties"][section]
        found = node["items"] if "items" in node else node["additionalProperties"]
        if "oneOf" in found:
            found = next(option for option in found["oneOf"] if option.get("type") == "object")
        if "$ref" in found:
            found = schema["$defs"][found["$ref"].rsplit("/", 1)[-1]]
        return found

    sections = {
        "source": "sources",
        "unit": "units",
        "kind": "kinds",
        "parameter": "parameters",
        "rule": "rules",
        "example": "examples",
        "metric": "metrics",
        "reward": "rewards",
        "region": "regions",
        "indicator": "indicators",
    }
    fields = {name: set(entry(section)["properties"]) for name, section in sections.items()}
    fields["pack"] = set(schema["properties"])
    return fields


def test_the_page_has_a_table_for_every_object() -> None:
    assert set(_documented()) == {
        "pack",
        "source",
        "unit",
        "kind",
        "parameter",
        "rule",
        "example",
        "metric",
        "reward",
        "region",
        "indicator",
    }


@pytest.mark.parametrize("name", sorted(_schema_fields(em.pack_schema())))
def test_the_page_and_the_schema_name_the_same_fields(name: str) -> None:
    schema = _schema_fields(em.pack_schema())[name]
    page = _documented()[name]
    assert schema - page == set(), f"in the schema, not documented in {PAGE.name}"
    assert page - schema == set(), f"documented in {PAGE.name}, not in the schema"


def test_the_fields_named_by_the_issue_are_documented() -> None:
    documented = _documented()
    kind = {"roles", "labels", "family", "priority", "picturable", "not_via"}
    assert kind <= documented["kind"]
    top = {"metrics", "rewards", "region", "topic", "extends", "default", "edition_aliases"}
    assert top | {"regions", "ambiguous_units"} <= documented["pack"]


# -- the complete example ---------------------------------------------------------------------


def _example_yaml() -> str:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    return block.group(1)


def test_the_example_file_is_the_one_on_the_page() -> None:
    file = (ROOT / "docs" / "examples" / "help_center.yaml").read_text(encoding="utf-8")
    body = "".join(line + "\n" for line in file.splitlines() if not line.startswith("# "))
    assert body == _example_yaml()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> em.Engine:
    path = tmp_path_factory.mktemp("pack") / "help_center.yaml"
    path.write_text(_example_yaml(), encoding="utf-8")
    assert em.validate(path, strict=True).ok
    return em.load(path)


def test_the_examples_kind_is_offered_in_feel_good(engine: em.Engine) -> None:
    # 2,000 calls x 9 min = 18,000 min = 300 h; 300 h / 7.5 h per shift = 40 shifts
    goods = engine.feel_good("2000 call/month")
    first = goods[0]
    assert first.kind == "agent_shift"
    assert first.magnitude == pytest.approx(40.0)
    # 6 and 14 minutes: 200 h and 466.7 h, 26.67 and 62.22 shifts
    assert first.low == pytest.approx(200 / 7.5)
    assert first.high == pytest.approx(2000 * 14 / 60 / 7.5)
    assert first.text == "40 agent shifts freed a month (range 27–62)"


def test_the_examples_kind_is_offered_in_action(engine: em.Engine) -> None:
    acts = engine.action("2000 call/month")
    assert acts[0].kind == "agent_shift"
    assert acts[0].text.startswith("40 agent shifts spent on calls the help center could answer")


@pytest.mark.parametrize(
    ("calls", "text"),
    [
        # 50 x 9 min = 7.5 h = 1 shift: shown "1.0" (two figures for a wide range), so plural
        ("50 call", "1.0 agent shifts freed"),
        # 1,000 x 9 min = 150 h = 20 shifts
        ("1000 call", "20 agent shifts freed"),
    ],
)
def test_the_examples_kind_takes_the_right_plural(engine: em.Engine, calls: str, text: str) -> None:
    offered = {e.kind: e for e in engine.feel_good(calls, top=10)}
    assert offered["agent_shift"].text.startswith(text)


def test_one_shift_shown_with_decimals_is_plural(engine: em.Engine) -> None:
    # 7.5 h of manual work, given exactly: 1 shift, no range, so three figures: "1.00", which
    # CLDR's English rule puts in 'other' (visible decimals), as it does "1.0 trees"
    (shift,) = engine.feel_good("450 min", of="manual_work", only=["agent_shift"])
    assert shift.text == "1.00 agent shifts freed"
    assert shift.to_dict()["text"] == shift.text


def test_the_examples_kind_speaks_german(engine: em.Engine) -> None:
    text = engine.feel_good("2000 call/month", locale="de")[0].text
    assert text == "40 Agentenschichten pro Monat frei geworden (Bandbreite 27–62)"
