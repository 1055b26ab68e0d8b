"""Indicator titles in other languages: ``labels`` in packs and in Python, used by the card,
the words of other media and the value report's section, an untranslated title marked English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import equivmetrics as em
from equivmetrics._present.scorecard_card import scorecard_words
from scorecard_helpers import MARCH, report_of

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "docs" / "examples" / "cs_scorecard.yaml"
HEADER = "equivmetrics: 1\nname: p\nedition: '1'\nlicense: CC0-1.0\n"


@pytest.fixture(scope="module")
def engine() -> em.Engine:
    return em.load(PACK)


def _rows(html: str) -> list[str]:
    return re.findall(r'<th scope="row"[^>]*>[^<]*</th>', html)


def test_the_example_pack_titles_its_indicators_in_four_languages(engine: em.Engine) -> None:
    use = engine.indicators["active_use"]
    assert use.label_in("en") == ("Active users", "en")
    assert use.label_in("de") == ("Aktive Nutzer", "de")
    assert use.label_in("fr_CA") == ("Utilisateurs actifs", "fr")
    assert use.label_in("es") == ("Usuarios activos", "es")
    assert engine.indicators["hours_saved"].label_in("de") == ("Eingesparte Stunden", "de")


@pytest.mark.parametrize(
    ("locale", "first"),
    [("de", "Aktive Nutzer"), ("fr", "Utilisateurs actifs"), ("es", "Usuarios activos")],
)
def test_the_card_words_and_report_use_the_translated_title(
    engine: em.Engine, locale: str, first: str
) -> None:
    card = engine.scorecard(MARCH, tolerance=0.05, locale=locale)
    html = card.to_html()
    assert _rows(html)[0] == f'<th scope="row">{first}</th>'
    assert "Active users" not in html
    words = scorecard_words(card, locale)
    assert words["scores"][0][0] == first
    assert words["score_languages"] == ["", ""]
    assert first in words["weak"][0]  # "Support: Aktive Nutzer 60,0 %, Referenz 70,0 %"
    report = report_of(engine, card, locale)
    assert first in report.text()
    assert f">{first}</th>" in report.html()
    assert "Active users" not in report.html()


def test_an_untranslated_title_is_marked_english() -> None:
    use = em.Indicator(
        "active_use",
        family="adoption",
        measure="ratio",
        numerator="active_users",
        denominator="licensed_seats",
        title="Active users",
        labels={"fr": "Utilisateurs actifs"},
    )
    card = em.load().scorecard(MARCH, indicators=[use], tolerance=0.05, locale="de")
    html = card.to_html()
    assert _rows(html) == ['<th scope="row" lang="en">Active users</th>']
    assert '<span lang="en">Active users</span>' in html  # in the weak links' lines
    words = scorecard_words(card, "de")
    assert words["score_languages"] == ["en"]
    assert '<span lang="en">Active users</span>' in words["weak_html"][0]
    report = report_of(em.load(), card, "de")
    assert '<th scope="row" lang="en"' in report.html()
    assert '<span lang="en">Active users</span>' in report.html()
    english = em.load().scorecard(MARCH, indicators=[use], tolerance=0.05).to_html()
    assert 'lang="en">Active users' not in english  # English in an English card: no mark


def test_labels_in_python_are_checked() -> None:
    base = {"family": "adoption", "measure": "count", "numerator": "n"}
    made = em.Indicator("x", labels={"de": "X auf Deutsch", "es_MX": "X"}, **base)  # type: ignore[arg-type]
    assert made.labels == (("de", "X auf Deutsch"), ("es_MX", "X"))
    assert made.to_dict()["labels"] == {"de": "X auf Deutsch", "es_MX": "X"}
    with pytest.raises(em.InputError, match="'deutsch!' is not a locale"):
        em.Indicator("x", labels={"deutsch!": "X"}, **base)  # type: ignore[arg-type]
    with pytest.raises(em.InputError, match="the de title must be text"):
        em.Indicator("x", labels={"de": ""}, **base)  # type: ignore[arg-type]
    with pytest.raises(em.InputError, match="labels must map locales to titles"):
        em.Indicator("x", labels=3, **base)  # type: ignore[arg-type]


def test_labels_in_a_pack_are_checked_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        HEADER
        + "indicators:\n"
        + "  - name: use\n"
        + "    family: adoption\n"
        + "    measure: count\n"
        + "    numerator: n\n"
        + "    labels:\n"
        + "      de: Nutzung\n"
        + "      deutsch!: Nutzung\n"  # line 12
        + "      fr: ''\n"  # line 13
        + "      es: [Uso]\n",  # line 14
        encoding="utf-8",
    )
    with pytest.raises(em.PackError) as caught:
        em.load(path, bundled=False)
    text = str(caught.value)
    assert re.search(r"p\.yaml:12:\d+: indicators\[0\]\.labels: 'deutsch!' is not a locale", text)
    assert re.search(r"p\.yaml:13:\d+: indicators\[0\]\.labels\.fr: expected the title", text)
    assert re.search(r"p\.yaml:14:\d+: indicators\[0\]\.labels\.es: expected text", text)
    assert len(caught.value.problems) == 3


def test_a_pack_without_labels_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    body = "indicators:\n  - {name: use, family: adoption, measure: count, numerator: n}\n"
    path.write_text(HEADER + body, encoding="utf-8")
    indicator = em.load(path, bundled=False).indicators["use"]
    assert indicator.labels == ()
    assert indicator.label_in("de") == ("use", "en")
