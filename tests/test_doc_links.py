"""The README and docs hold together: every link and anchor resolves, and the README's
headline figures are what ``equivmetrics demo`` prints."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MARKDOWN = sorted([ROOT / "README.md", ROOT / "CHANGELOG.md", *(ROOT / "docs").rglob("*.md")])
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*$", re.MULTILINE)


def _prose(path: Path) -> str:
    """The file without its code blocks (a link in a code example is not a link)."""
    return _FENCE.sub("", path.read_text(encoding="utf-8"))


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = heading.replace("`", "").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(h) for h in _HEADING.findall(_prose(path))}


def _links() -> list[tuple[str, str]]:
    found = []
    for path in MARKDOWN:
        for target in _LINK.findall(_prose(path)):
            if not target.startswith(("http://", "https://", "mailto:")):
                found.append((str(path.relative_to(ROOT)), target))
    return found


def test_the_slug_is_githubs() -> None:
    # hand-checked against GitHub's rendering of docs/equivalents.md and docs/pack-format.md
    assert _slug("JSON for dashboards") == "json-for-dashboards"
    assert _slug("What each environment equivalent compares") == (
        "what-each-environment-equivalent-compares"
    )
    assert _slug("`equivmetrics validate`") == "equivmetrics-validate"


def test_links_are_found() -> None:
    links = _links()
    assert ("docs/cli.md", "equivalents.md#json-for-dashboards") in links
    assert len(links) > 50


@pytest.mark.parametrize(("where", "target"), _links(), ids=str)
def test_every_link_and_anchor_resolves(where: str, target: str) -> None:
    path_text, _, anchor = target.partition("#")
    source = ROOT / where
    path = (source.parent / path_text).resolve() if path_text else source
    assert path.exists(), f"{where}: the link {target!r} names a missing file"
    if anchor and path.suffix == ".md":
        assert anchor in _anchors(path), f"{where}: the link {target!r} names a missing anchor"


def test_the_readme_headline_is_what_the_demo_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headline = readme.split("12,000 transactions processed this month\n", 1)[1].split("\n\n")[0]
    claims = [line.strip().removeprefix("≈ ") for line in headline.splitlines()]
    done = subprocess.run(
        [sys.executable, "-m", "equivmetrics", "demo"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    shown = [line.strip().removeprefix("≈ ") for line in done.stdout.splitlines()]
    assert len(claims) == 3
    for claim in claims:
        # the README leaves out the demo's period and range; the words and figure are the same
        assert any(line.startswith(claim) for line in shown), f"README claims {claim!r}"
