"""A value report's scorecard section: adoption and performance for e-mail, in inline styles.

The section shows a :class:`~equivmetrics.Scorecard` (docs/adoption.md) the way the rest of the
report is built for mail clients — a table of the indicators against their targets, the weak
links, the value realised and the value at stake as lists — from the words the scorecard card
uses (:func:`~equivmetrics._present.scorecard_card.scorecard_words`), so card, report and text
say the same in the same language.
"""

from __future__ import annotations

from html import escape
from typing import Any

from equivmetrics._present.messages import language_of
from equivmetrics._present.scorecard_card import ScorecardLike, scorecard_words

__all__ = ["section_html", "section_text"]

_INK, _MUTED, _ACCENT, _BORDER = "#17212b", "#4a5663", "#0f6b5c", "#dce2e8"
_MISSED = "#a4372b"
_CELL = f"padding:6px 8px 6px 0;border-bottom:1px solid {_BORDER};text-align:left"


def section_html(card: ScorecardLike, locale: str, page_language: str) -> str:
    """The section as HTML with inline styles only (``lang`` marked when it differs)."""
    words = scorecard_words(card, locale)
    lang = "" if _same(words["language"], page_language) else f' lang="{escape(words["language"])}"'
    head = "".join(
        f'<th scope="col" style="{_CELL};color:{_MUTED};font-size:13px;font-weight:600">'
        f"{escape(c)}</th>"
        for c in words["columns"]
    )
    rows = "".join(
        _row(cells, score.status, title_lang)
        for cells, score, title_lang in zip(
            words["scores"], card.scores, words["score_languages"], strict=True
        )
    )
    parts = [
        f'<section{lang} style="margin:24px 0 0">',
        f'<h2 style="margin:0 0 8px;font-size:17px;color:{_INK}">{escape(words["heading"])}</h2>',
        f'<table style="width:100%;border-collapse:collapse;font-size:14px;margin:0 0 12px">'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>",
        _list(words["weak_heading"], words["weak_html"], escaped=True),
        _list(words["realised_heading"], words["realised"]),
        f'<h3 style="margin:16px 0 6px;font-size:15px;color:{_ACCENT}">'
        f"{escape(words['stake_heading'])}</h3>",
    ]
    for stake in words["stakes"]:
        parts.append(f'<p style="margin:0 0 6px;color:{_MUTED}">{escape(stake["lede"])}</p>')
        parts.append(_items(stake["items"]))
    if words["notes"]:
        parts.append(_items(words["notes"], muted=True, lang=' lang="en"'))
    parts.append("</section>")
    return "".join(parts)


def section_text(card: ScorecardLike, locale: str) -> list[str]:
    """The section as lines of plain text (the e-mail's text alternative)."""
    words = scorecard_words(card, locale)
    lines = ["", words["heading"], "-" * len(words["heading"])]
    for cells in words["scores"]:
        lines.append(
            f"{cells[0]}: {cells[1]} ({words['columns'][2]} {cells[2]}; {cells[3]}; {cells[4]})"
        )
    for heading, items in (
        (words["weak_heading"], words["weak"]),
        (words["realised_heading"], words["realised"]),
    ):
        if items:
            lines += ["", heading + ":"] + [f"  - {item}" for item in items]
    lines += ["", words["stake_heading"] + ":"]
    for stake in words["stakes"]:
        lines += [f"  {stake['lede']}"] + [f"  - {item}" for item in stake["items"]]
    lines += [f"  ({note})" for note in words["notes"]]
    return lines


def _same(language: str, page: str) -> bool:
    return language_of(language) == language_of(page)


def _row(cells: list[str], status: str, title_lang: str) -> str:
    colour = _ACCENT if status == "met" else _MISSED if status == "missed" else _INK
    lang = f' lang="{escape(title_lang)}"' if title_lang else ""
    return (
        f'<tr><th scope="row"{lang} style="{_CELL};font-weight:normal">{escape(cells[0])}</th>'
        f'<td style="{_CELL};font-weight:bold">{escape(cells[1])}</td>'
        f'<td style="{_CELL}">{escape(cells[2])}</td>'
        f'<td style="{_CELL};color:{colour};font-weight:600">{escape(cells[3])}</td>'
        f'<td style="{_CELL}">{escape(cells[4])}</td></tr>'
    )


def _list(heading: str, items: list[Any], *, escaped: bool = False) -> str:
    if not items:
        return ""
    return (
        f'<h3 style="margin:16px 0 6px;font-size:15px;color:{_ACCENT}">{escape(heading)}</h3>'
        + _items(items, escaped=escaped)
    )


def _items(items: list[Any], *, muted: bool = False, lang: str = "", escaped: bool = False) -> str:
    """A list of texts (``escaped``: of HTML the card's words already escaped and marked)."""
    if not items:
        return ""
    colour = f"color:{_MUTED};font-size:13px;" if muted else ""
    entries = "".join(
        f'<li style="margin:0 0 6px;padding:0;{colour}">'
        f"{item if escaped else escape(str(item))}</li>"
        for item in items
    )
    return f'<ul{lang} style="margin:0 0 8px;padding:0 0 0 20px">{entries}</ul>'
