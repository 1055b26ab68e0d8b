"""The shipped JSON Schema of the pack format: valid, in step with the loader, and useful."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import equivmetrics as em
from equivmetrics._packs import load as _load
from equivmetrics._packs.load import FIELDS

ROOT = Path(__file__).resolve().parent.parent
PACKS = sorted([*(ROOT / "conversions").glob("*.yaml"), *(ROOT / "docs").rglob("*.yaml")])


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return em.pack_schema()


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", PACKS, ids=lambda p: p.name)
def test_every_shipped_and_documented_pack_matches_the_schema(
    path: Path, schema: dict[str, Any]
) -> None:
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def _entry_properties(schema: dict[str, Any], section: str) -> set[str]:
    node = schema["properties"][section]
    entry = node["items"] if "items" in node else node["additionalProperties"]
    if "oneOf" in entry:
        entry = next(option for option in entry["oneOf"] if option.get("type") == "object")
    if "$ref" in entry:  # a shared definition ("#/$defs/parameter")
        entry = schema["$defs"][entry["$ref"].rsplit("/", 1)[-1]]
    return set(entry["properties"])


def test_schema_fields_are_exactly_the_loaders_fields(schema: dict[str, Any]) -> None:
    assert set(schema["properties"]) == set(FIELDS["pack"])
    sections = {
        "sources": "source",
        "units": "unit",
        "kinds": "kind",
        "parameters": "parameter",
        "rules": "rule",
        "examples": "example",
        "metrics": "metric",
        "rewards": "reward",
        "regions": "region",
    }
    for section, field in sections.items():
        assert _entry_properties(schema, section) == set(FIELDS[field]), section
    region_parameters = schema["properties"]["regions"]["additionalProperties"]["properties"]
    assert region_parameters["parameters"]["additionalProperties"] == {"$ref": "#/$defs/parameter"}


def test_schema_rejects_what_the_loader_rejects(schema: dict[str, Any]) -> None:
    bad = {
        "equivmetrics": 1,
        "name": "x",
        "edition": "1",
        "license": "MIT",
        "rules": [{"from": "a", "to": "b", "factor": "2", "revesible": True}],
    }
    with pytest.raises(jsonschema.ValidationError, match="revesible"):
        jsonschema.validate(bad, schema)
    text = yaml.safe_dump(bad)
    pack, problems = _load.parse_pack(text, "bad.yaml")
    assert pack is None
    assert any("revesible" in p.field and "reversible" in p.hint for p in problems)


def test_a_parameter_may_name_its_region(schema: dict[str, Any]) -> None:
    rate = {"value": "40 USD/hour", "source": "survey", "region": "US"}
    pack = {
        "equivmetrics": 1,
        "name": "wages",
        "edition": "1",
        "license": "MIT",
        "sources": {"survey": {"title": "A wage survey"}},
        "parameters": {"rate": rate},
    }
    jsonschema.validate(pack, schema)
    rate["region"] = "Narnia"
    with pytest.raises(jsonschema.ValidationError, match="'Narnia' does not match"):
        jsonschema.validate(pack, schema)
    # the loader refuses it too, at the field's line
    _pack, problems = _load.parse_pack(yaml.safe_dump(pack, sort_keys=False), "wages.yaml")
    [problem] = problems
    assert problem.field == "parameters.rate.region"
    assert problem.message.startswith("'Narnia' is not a region code")
