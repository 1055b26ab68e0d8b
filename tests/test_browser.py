"""The card in a real browser: headless Chromium loads the page, shows the text, draws pixels.

Skipped when Chromium is not installed, except in CI (``CI`` set), where it must run.
"""

from __future__ import annotations

import csv
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._present.scorecard_card import scorecard_page
from htmltree import parse

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TIMEOUT = 60


def _chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None
    )
    if found:
        return found
    message = "chromium is not installed (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must run the browser test")
    pytest.skip(message)


def _run(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(tmp_path)}
    done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done


@pytest.fixture(scope="module")
def cards() -> dict[str, tuple[em.Equivalent, ...]]:
    engine = em.load()
    goods = engine.feel_good("12400 kWh", top=4)
    acts = engine.action("420 kcal", only=["walking", "running"])
    assert goods
    assert acts
    return {"feel_good": goods, "action": acts}


@pytest.mark.parametrize("which", ["feel_good", "action"])
def test_the_browser_shows_every_number_and_label(
    which: str, cards: dict[str, tuple[em.Equivalent, ...]], tmp_path: Path
) -> None:
    equivalents = cards[which]
    page = tmp_path / "card.html"
    page.write_text(em.render_page(equivalents, title="Your impact"), encoding="utf-8")
    done = _run(tmp_path, page, "--dump-dom")
    dom = parse(done.stdout.decode("utf-8"))
    section = dom.find("section", "equivmetrics-card")
    visible = section.text()
    assert section.find("h1").text() == "Your impact"
    items = section.find_all("li", "em-item")
    assert len(items) == len(equivalents)
    for item, equivalent in zip(items, equivalents, strict=True):
        text = item.text()
        assert equivalent.value_text in text
        assert equivalent.label in text
        assert equivalent.value_text in visible
        if equivalent.range_text:
            assert equivalent.range_text in text


def test_the_browser_draws_the_card(
    cards: dict[str, tuple[em.Equivalent, ...]], tmp_path: Path
) -> None:
    page = tmp_path / "card.html"
    page.write_text(em.render_page(cards["feel_good"], title="Your impact"), encoding="utf-8")
    png = tmp_path / "card.png"
    _run(tmp_path, page, f"--screenshot={png}", "--window-size=800,600", "--hide-scrollbars")
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 2048
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (800, 600)


def _pixel_rows(png: bytes) -> bytes:
    """The PNG's image data, inflated (its filtered rows of pixels)."""
    import zlib

    data, at = b"", 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return zlib.decompress(data)


def test_the_browser_draws_the_scorecard(tmp_path: Path) -> None:
    tenant = em.load(ROOT / "docs" / "examples" / "cs_scorecard.yaml").with_params(
        hourly_labor_cost={"value": "50 EUR/hour", "low": "45 EUR/hour", "high": "55 EUR/hour"}
    )
    rows = list(csv.DictReader((ROOT / "docs" / "examples" / "teams.csv").read_text().splitlines()))
    data: dict[str, dict[str, dict[str, float]]] = {}
    for row in rows:
        numbers = {k: float(v) for k, v in row.items() if k not in ("period", "team")}
        data.setdefault(row["period"], {})[row["team"]] = numbers
    card = tenant.scorecard(data, tolerance=0.05)
    page = tmp_path / "scorecard.html"
    page.write_text(scorecard_page(card), encoding="utf-8")
    text = _run(tmp_path, page, "--dump-dom").stdout.decode()
    assert "If Support and Billing used it like the rest:" in text
    png = tmp_path / "scorecard.png"
    _run(tmp_path, page, f"--screenshot={png}", "--window-size=800,1100", "--hide-scrollbars")
    image = png.read_bytes()
    assert image.startswith(PNG_SIGNATURE)
    assert struct.unpack(">II", image[16:24]) == (800, 1100)
    assert len(set(_pixel_rows(image))) > 32, "the screenshot is blank"
    if os.environ.get("EQUIVMETRICS_WRITE_SCREENSHOTS"):  # refresh docs/images/scorecard.png
        (ROOT / "docs" / "images" / "scorecard.png").write_bytes(image)
