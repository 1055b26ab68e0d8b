"""Equivalents as an HTML card for dashboards, notebooks and e-mail previews.

:func:`render_html` returns a self-contained fragment: one ``<section class="equivmetrics-card">``
with its own ``<style>`` (every rule scoped to the card, every class prefixed ``em-``), inline SVG
icons, no external resources and no JavaScript. :func:`render_page` wraps the card in a complete
HTML document.

Everything that comes from packs or callers (labels, wording, titles, sources, links) is escaped;
a source link is kept only when it is an ``http`` or ``https`` URL.

>>> import equivmetrics as em
>>> card = em.render_html(em.load().action("420 kcal", only=["walking"]))
>>> card.startswith('<section class="equivmetrics-card"') and card.count('<li class="em-item">')
1
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from html import escape
from typing import Protocol, cast, runtime_checkable

from equivmetrics._core.memo import ByIdentity
from equivmetrics._core.quantity import unfit
from equivmetrics._core.records import check_fields
from equivmetrics._packs.model import Source
from equivmetrics.exceptions import InputTypeError

from .card_language import LANG, Chrome, card_lang, lang_attrs, words_tag
from .citations import source_html, source_items
from .icons import icon_body
from .messages import Messages, language_of, sentence_words

__all__ = ["CARD_CSS", "page_html", "render_html", "render_page", "source_html", "tiles_html"]


@runtime_checkable
class Equivalent(Protocol):
    """What a card shows of an equivalent (:class:`equivmetrics.Equivalent` has all of it)."""

    @property
    def kind(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def value_text(self) -> str: ...

    @property
    def range_text(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def icon(self) -> str: ...

    @property
    def locale(self) -> str: ...

    @property
    def sources(self) -> tuple[Source, ...]: ...


_CSS = """\
.equivmetrics-card{--em-_accent:var(--em-accent,#0f6b5c);\
--em-_accent-soft:var(--em-accent-soft,#e3f1ed);--em-_bg:var(--em-bg,#ffffff);\
--em-_tile:var(--em-tile,#f7f9fa);--em-_fg:var(--em-fg,#17212b);--em-_muted:var(--em-muted,#4a5663);\
--em-_border:var(--em-border,#dce2e8);--em-_radius:var(--em-radius,14px);\
box-sizing:border-box;max-width:100%;margin:0;padding:20px 22px 22px;\
border:1px solid var(--em-_border);border-radius:var(--em-_radius);background:var(--em-_bg);\
color:var(--em-_fg);font-family:var(--em-font,system-ui,-apple-system,"Segoe UI",Roboto,\
"Helvetica Neue",Arial,sans-serif);font-size:15px;line-height:1.4;text-align:left;\
box-shadow:0 1px 2px rgba(16,24,40,.05),0 6px 16px rgba(16,24,40,.06)}
.equivmetrics-card *,.equivmetrics-card *::before,.equivmetrics-card *::after{box-sizing:inherit}
.equivmetrics-card .em-title{margin:0 0 14px;padding:0;font-size:1.1em;font-weight:650;\
line-height:1.3;color:var(--em-_fg);letter-spacing:0}
.equivmetrics-card .em-list{list-style:none;margin:0;padding:0;display:grid;gap:12px;\
grid-template-columns:repeat(auto-fit,minmax(min(100%,165px),1fr))}
.equivmetrics-card .em-item{display:flex;flex-direction:column;gap:8px;margin:0;padding:14px;\
border:1px solid var(--em-_border);border-radius:calc(var(--em-_radius) - 4px);\
background:var(--em-_tile);min-width:0}
.equivmetrics-card .em-icon{display:flex;align-items:center;justify-content:center;\
width:40px;height:40px;border-radius:10px;background:var(--em-_accent-soft);\
color:var(--em-_accent)}
.equivmetrics-card .em-icon svg{display:block;width:24px;height:24px}
.equivmetrics-card .em-text{margin:0;padding:0;overflow-wrap:anywhere}
.equivmetrics-card .em-lead{display:block;color:var(--em-_muted);font-size:.9em}
.equivmetrics-card .em-value{display:block;margin:1px 0 2px;font-size:1.85em;font-weight:700;\
line-height:1.15;color:var(--em-_accent);font-variant-numeric:tabular-nums;letter-spacing:-.01em}
.equivmetrics-card .em-unit{font-size:.62em;font-weight:650;letter-spacing:0}
.equivmetrics-card .em-rest{display:block}
.equivmetrics-card .em-range{margin:0;padding:0;color:var(--em-_muted);font-size:.85em;\
font-variant-numeric:tabular-nums}
.equivmetrics-card .em-range-label{font-weight:600}
.equivmetrics-card .em-range-value{white-space:nowrap}
.equivmetrics-card .em-sources{margin:auto 0 0;padding:8px 0 0;\
border-top:1px dashed var(--em-_border);color:var(--em-_muted);font-size:.8em}
.equivmetrics-card .em-sources>summary{cursor:pointer;font-weight:600;width:max-content;\
max-width:100%}
.equivmetrics-card .em-source-list{margin:6px 0 0;padding:0 0 0 1.1em;list-style:disc}
.equivmetrics-card .em-source-list>li{margin:0 0 4px;padding:0;overflow-wrap:anywhere}
.equivmetrics-card a{color:var(--em-_accent);text-decoration:underline;\
text-underline-offset:2px}
.equivmetrics-card a:focus-visible,.equivmetrics-card summary:focus-visible{\
outline:2px solid var(--em-_accent);outline-offset:2px;border-radius:3px}
.equivmetrics-card .em-empty{margin:0;color:var(--em-_muted)}
"""

CARD_CSS = _CSS  # the card's style sheet, for other cards built of the same tiles

_PAGE_CSS = (
    "body{margin:0;padding:24px;background:#eef1f4;"
    'font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}'
    "main{max-width:760px;margin:0 auto}"
)
_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def render_html(
    equivalents: Iterable[Equivalent] | Equivalent,
    *,
    title: str | None = None,
    heading_level: int = 2,
    lang: str | None = None,
) -> str:
    """An embeddable, accessible HTML card of ``equivalents`` (a ``<section>`` fragment).

    ``title`` is the card's heading (default ``"Equivalents"``, or ``"Equivalent"`` for one, in
    the card's language); ``heading_level`` its level, 1 to 6, to fit the host page's outline.
    ``lang`` is a BCP 47 tag for the card (default: the language of the equivalents' words when
    they share one); the card's own words ("Range", "Sources") are in that language when the
    library has it, else in English marked ``lang="en"``, and ``dir`` follows its script. Style
    it from the host page with CSS custom properties such as ``--em-accent`` (see docs/html.md).
    """
    items = _items(equivalents)
    if (
        not isinstance(heading_level, int)
        or isinstance(heading_level, bool)
        or not 1 <= heading_level <= 6
    ):
        raise unfit(heading_level, int)(
            f"heading_level= must be a whole number from 1 to 6, got {heading_level!r}",
            value=heading_level,
        )
    tag = card_lang(lang, items)
    chrome = Chrome.of(tag)
    heading = _heading(title, items, chrome)
    card_id = _card_id(items, heading, tag)
    if items:
        listing = tiles_html(items, card_id, chrome)
    else:
        listing = f'<p class="em-empty"{chrome.mark}>{escape(chrome.text("card.empty"))}</p>'
    heading_mark = chrome.mark if title is None else ""
    return (
        f'<section class="equivmetrics-card" aria-labelledby="{card_id}"{lang_attrs(tag)}>'
        f"<style>{_CSS}</style>"
        f'<h{heading_level} class="em-title" id="{card_id}"{heading_mark}>'
        f"{escape(heading)}</h{heading_level}>"
        f"{listing}</section>"
    )


def render_page(
    equivalents: Iterable[Equivalent] | Equivalent,
    *,
    title: str | None = None,
    lang: str | None = None,
) -> str:
    """A complete HTML document showing the card of ``equivalents`` (for previews and e-mails).

    The page has a doctype, ``lang``, a UTF-8 charset, a viewport and a Content Security Policy
    that allows nothing but the inline styles; the card's heading is the page's ``<h1>``.
    """
    items = _items(equivalents)
    card = render_html(items, title=title, heading_level=1, lang=lang)
    page_lang = card_lang(lang, items) or "en"
    heading = _heading(title, items, Chrome.of(page_lang))
    return page_html(card, heading, page_lang)


def page_html(card: str, heading: str, lang: str) -> str:
    """A complete, locked-down HTML document around a card (see :func:`render_page`)."""
    return (
        "<!DOCTYPE html>\n"
        f"<html{lang_attrs(lang)}>\n"
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        f"<title>{escape(heading)}</title>\n"
        f"<style>{_PAGE_CSS}</style>\n"
        "</head>\n"
        f"<body>\n<main>\n{card}\n</main>\n</body>\n"
        "</html>\n"
    )


#: Types whose instances were found to have what a card shows: checking a runtime protocol
#: looks up every member each time, so it is done once per type.
_SHOWN_TYPES: set[type] = set()


def _is_equivalent(item: object) -> bool:
    kind = type(item)
    if kind in _SHOWN_TYPES:
        return True
    if isinstance(item, Equivalent):
        _SHOWN_TYPES.add(kind)
        return True
    return False


def _items(equivalents: Iterable[Equivalent] | Equivalent) -> list[Equivalent]:
    if _is_equivalent(equivalents):
        check_fields(equivalents)  # one built by hand must have the field types it declares
        return [cast("Equivalent", equivalents)]
    try:
        items = list(cast("Iterable[Equivalent]", equivalents))
    except TypeError:
        raise InputTypeError(
            "render_html takes Equivalent objects (from Engine.feel_good or Engine.action), "
            f"got {type(equivalents).__name__}",
            value=equivalents,
        ) from None
    for item in items:
        if not _is_equivalent(item):
            raise InputTypeError(
                "render_html takes Equivalent objects (from Engine.feel_good or Engine.action), "
                f"got an item of type {type(item).__name__}",
                value=item,
            )
        check_fields(item)  # one built by hand must have the field types it declares
    return items


def tiles_html(items: Iterable[Equivalent], card_id: str, chrome: Chrome) -> str:
    """The equivalents as the card's tiles (``<ul class="em-list">``), ids from ``card_id``."""
    tiles = (_item(e, f"{card_id}-{n}", chrome) for n, e in enumerate(items, 1))
    return '<ul class="em-list">' + "".join(tiles) + "</ul>"


def _heading(title: str | None, items: list[Equivalent], chrome: Chrome) -> str:
    if title is None:
        return chrome.plural("card.heading", len(items))
    if not isinstance(title, str):
        raise InputTypeError(f"title= must be text, got {type(title).__name__}", value=title)
    return title


def _card_id(items: list[Equivalent], heading: str, lang: str) -> str:
    """An id derived from the content: the same card renders the same bytes every time."""
    digest = hashlib.blake2s(digest_size=5)
    for part in (heading, lang, *(_fingerprint(e) for e in items)):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return f"em-{digest.hexdigest()}"


def _fingerprint(e: Equivalent) -> str:
    """``repr((kind, role, text, value_text, range_text, label, icon, sources))``, the
    sources' part written once per tuple of sources."""
    sources = e.sources
    shown = _SOURCES_REPR.get((sources,), lambda: repr(sources))
    fields = (e.kind, e.role, e.text, e.value_text, e.range_text, e.label, e.icon)
    return "(" + ", ".join(map(repr, fields)) + ", " + shown + ")"


#: What stays the same for the same sources (their identity): the repr and the HTML list.
_SOURCES_REPR: ByIdentity[str] = ByIdentity()
_SOURCES_HTML: ByIdentity[str] = ByIdentity()


def _item(e: Equivalent, item_id: str, chrome: Chrome) -> str:
    own = words_tag(e)
    words = sentence_words(language_of(own))
    text = e.text
    suffix = " " + words.text("equivalent.range", range=e.range_text)
    if e.range_text and text.endswith(suffix):
        text = text[: -len(suffix)]
    lead, value, rest = _split(text, e.value_text)
    parts = []
    if lead:
        parts.append(f'<span class="em-lead">{_words(lead)}</span> ')
    parts.append(f'<strong class="em-value">{_value(value)}</strong>')
    if rest:
        parts.append(f' <span class="em-rest">{_words(rest)}</span>')
    item_lang = f' lang="{escape(own)}"' if chrome.card != own and LANG.fullmatch(own) else ""
    html = [
        f'<li class="em-item"{item_lang}>',
        f'<span class="em-icon">{_icon(e, item_id, words)}</span>',
        f'<p class="em-text">{"".join(parts)}</p>',
    ]
    if e.range_text:
        html.append(
            f'<p class="em-range"><span class="em-range-label"{chrome.mark}>'
            f"{escape(chrome.text('card.range'))}</span> "
            f'<span class="em-range-value">{escape(e.range_text)}</span></p>'
        )
    if e.sources:
        count = len(e.sources)
        summary = chrome.plural("card.sources", count, count=str(count))
        html.append(
            f'<details class="em-sources"><summary{chrome.mark}>{escape(summary)}</summary>'
            '<ul class="em-source-list">'
            + _SOURCES_HTML.get((e.sources,), lambda: source_items(e.sources))
            + "</ul></details>"
        )
    html.append("</li>")
    return "".join(html)


def _split(text: str, value_text: str) -> tuple[str, str, str]:
    """Text before the number, the number, text after it (a '$' or '%' stays with the number)."""
    found = (
        re.search(rf"(?<![0-9A-Za-z.,]){re.escape(value_text)}(?![0-9])", text)
        if value_text
        else None
    )
    at = found.start() if found else text.find(value_text) if value_text else -1
    if at < 0:
        return "", value_text, text
    lead, rest = text[:at], text[at + len(value_text) :]
    value = value_text
    if lead and not lead[-1].isspace():
        glued = re.search(r"\S+\Z", lead)
        if glued:
            value, lead = glued.group() + value, lead[: glued.start()]
    if rest and not rest[0].isspace():
        glued = re.match(r"\S+", rest)
        if glued:
            value, rest = value + glued.group(), rest[glued.end() :]
    return lead.strip(), value, rest.strip()


#: "CO2" and "CO2e" as chemists write them: the card shows "CO₂" (plain text keeps "CO2").
_CO2 = re.compile(r"\bCO2(?=e?\b)")


def _words(text: str) -> str:
    """Escaped text for the card, with "CO₂" for "CO2"."""
    return _CO2.sub("CO\u2082", escape(text))


def _value(value: str) -> str:
    """The number, escaped, with its words ('h', 'min', 'less than') set smaller than digits."""
    return "".join(
        f'<span class="em-unit">{escape(token)}</span>' if token.isalpha() else escape(token)
        for token in re.split(r"([^\W\d_]+)", value)
        if token
    )


def _icon(e: Equivalent, item_id: str, words: Messages) -> str:
    alt = _alt(e, words.words("card.alt_drop") if words.has("card.alt_drop") else ())
    title_id = f"{item_id}-icon"
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round" role="img" aria-labelledby="{title_id}" focusable="false">'
        f'<title id="{title_id}">{escape(alt)}</title>{icon_body(e.icon)}</svg>'
    )


def _alt(e: Equivalent, drop: tuple[str, ...]) -> str:
    """The icon's text alternative, from the label ('of brisk walking' drops its 'of')."""
    label = e.label.strip() or e.kind.replace("_", " ")
    for word in drop:
        if label.startswith(word) and len(label) > len(word):
            return label[len(word) :]
    return label
