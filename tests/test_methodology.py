"""docs/methodology.md is generated from the bundled packs and must match them exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import equivmetrics as em
from equivmetrics._present.methodology import render_methodology

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "methodology.md"


def test_methodology_page_matches_the_bundled_packs() -> None:
    expected = render_methodology(em.load())
    assert PAGE.read_text(encoding="utf-8") == expected, (
        "docs/methodology.md is out of date: run `equivmetrics methodology > docs/methodology.md`"
    )


def test_page_lists_every_parameter_rule_and_source_of_every_bundled_pack() -> None:
    page = PAGE.read_text(encoding="utf-8")
    for pack in em.load().catalog.available:  # every pack, not only the U.S. engine's
        assert f"(`{pack.name}`, edition {pack.edition}" in page
        if pack.region:
            assert f"region {pack.region}" in page
        for param in pack.parameters:
            # a derived parameter shows its expression, then what it evaluates to
            found = em.load().catalog.parameters.get(param.name)
            derived = (
                found is not None
                and found.expr is not None
                and found.spec.location.file == pack.origin
            )
            value = f"`{param.value}` = " if derived else f"{param.value} |"
            assert f"| `{param.name}` | {value}" in page
        for entry in pack.regions:
            for param in entry.parameters:
                assert f"| `{entry.code}` {entry.name} | `{param.name}` | {param.value} |" in page
        for rule in pack.rules:
            assert f"| `{rule.id}` |" in page
        for source in pack.sources:
            assert f"- `{source.key}`: " in page


def test_methodology_command_prints_the_same_page() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", "methodology"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == PAGE.read_text(encoding="utf-8")


def test_page_shows_how_each_offered_kind_reads() -> None:
    page = PAGE.read_text(encoding="utf-8")
    catalog = em.load().catalog
    offering = [
        pack
        for pack in catalog.available or catalog.packs
        if any(kind.presentation.roles for kind in pack.kinds)
    ]
    assert page.count("### Equivalents offered") == len(offering)
    # what the equivalent compares is on the page: CO2 for most, energy for the one home
    assert (
        "| `home_electricity` | `as much CO2 as {value} {label}` | "
        "`as much CO2 as {value} {label}` |" in page
    )
    assert "| `home_electricity_energy` | `as much electricity as {value} {label}` |" in page
    # a kind offered in one role only shows a dash for the other; input-only kinds are absent
    assert "| `diesel` | `as much CO2 as {value} {label}` | — |" in page
    epa = page.split("(`epa_ghg`, edition", 1)[1].split("\n## ", 1)[0]
    offered = epa.split("### Equivalents offered", 1)[1].split("\n### ", 1)[0]
    assert "| `home_electricity_energy` |" in offered
    assert "| `natural_gas_volume` |" not in offered
