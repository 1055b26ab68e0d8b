"""Validation: every bundled pack proves itself, and every bundled factor is cited."""

from __future__ import annotations

from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._packs.model import Pack

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PACK = ROOT / "docs" / "examples" / "support_desk.yaml"


def test_every_example_of_every_bundled_pack_passes() -> None:
    report = em.validate()
    assert report.ok, "\n".join(map(str, report.problems))
    packs = em.load().catalog.available  # every bundled pack, the other regions' too
    assert {p.name for p in packs} >= {"productivity", "epa_ghg", "pace", "ember_grid", "desnz"}
    assert report.examples_run == sum(len(p.examples) for p in packs) > 0
    assert report.examples_passed == report.examples_run


@pytest.mark.parametrize("pack", em.load().catalog.available, ids=lambda p: p.name)
def test_every_bundled_factor_is_cited(pack: Pack) -> None:
    # the engine of a region the pack speaks for, with its edition (so that it is chosen)
    region = next(iter(pack.covers()), None)
    catalog = em.load(region=region, edition=pack.edition if region else None).catalog
    for rule in pack.rules:
        used = catalog.rules[rule.id].parameters
        cited = [catalog.parameters[name].spec.source for name in used]
        assert rule.sources or (used and all(s.title for s in cited)), rule.id
    for param in pack.parameters:
        assert param.source.title, param.name
        assert param.source.publisher or "assumption" in param.source.key or param.assumption


def test_every_bundled_pack_has_its_identity() -> None:
    for pack in em.load().catalog.available:
        for field in (pack.name, pack.edition, pack.title, pack.description):
            assert field, pack.origin
        assert pack.license, pack.name
        assert pack.sources, pack.name


def test_a_failing_example_is_reported_at_its_line(tmp_path: Path) -> None:
    text = EXAMPLE_PACK.read_text(encoding="utf-8").replace(
        "expect: 8217 USD/month", "expect: 9000 USD/month"
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    # the second example starts on the line before its 'to: labor_cost'
    line = lines.index("    to: labor_cost") - 1 + 1
    report = em.validate(broken)
    assert not report.ok
    [problem] = report.problems
    assert problem.location.file == str(broken)
    assert problem.location.line == line
    # 900 ticket x 12 min = 180 h; x $45.65 per hour worked = $8,217, not $9,000
    assert "gave 8,217 USD/month" in problem.message
    assert "expected 9000 USD/month" in problem.message
    assert report.examples_run == report.examples_passed + 1


def test_an_example_that_cannot_convert_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    text = EXAMPLE_PACK.read_text(encoding="utf-8").replace(
        "  - given: 900 ticket/month\n    to: manual_work",
        "  - given: 900 ticket/month\n    to: manual_wrok",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    [problem] = em.validate(broken).problems
    assert "unknown kind 'manual_wrok'" in problem.message
    assert "did you mean 'manual_work'" in problem.message


def test_a_broken_pack_gives_its_problems_without_running_examples(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("equivmetrics: 1\nname: x\n", encoding="utf-8")
    report = em.validate(broken, bundled=False)
    assert not report.ok
    assert report.examples_run == 0
    assert {p.field for p in report.problems} == {"pack.edition", "pack.license"}
