"""A scorecard as an HTML card: indicators against targets, weak links, value realised and at
stake.

The card takes a scorecard as plain data (the :class:`ScorecardLike` protocol, which
:class:`~equivmetrics.Scorecard` fulfils): presentation never computes. It is self-contained
like the equivalents card (:mod:`.html`): scoped styles, inline SVG icons, no script, every
text escaped; its own words come from the library's catalogs (``[scorecard]``), in the
scorecard's locale or in English.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from html import escape
from typing import Any, Protocol

from .card_language import Chrome, lang_attrs
from .formatter import Formatter
from .html import CARD_CSS, Equivalent, page_html, tiles_html
from .messages import catalog, language_of

__all__ = ["ScorecardLike", "scorecard_html", "scorecard_page", "scorecard_words"]

_CSS = """\
.equivmetrics-card .em-sub{margin:18px 0 8px;font-size:1em;font-weight:650}
.equivmetrics-card .em-scores{width:100%;border-collapse:collapse;font-variant-numeric:\
tabular-nums}
.equivmetrics-card .em-scores th,.equivmetrics-card .em-scores td{padding:6px 8px;\
border-bottom:1px solid var(--em-_border);text-align:left;vertical-align:top}
.equivmetrics-card .em-scores th{color:var(--em-_muted);font-size:.85em;font-weight:600}
.equivmetrics-card .em-met{color:var(--em-_accent);font-weight:600}
.equivmetrics-card .em-missed{color:#a4372b;font-weight:600}
.equivmetrics-card .em-weak{margin:0;padding:0 0 0 1.1em}
.equivmetrics-card .em-weak>li{margin:0 0 4px}
.equivmetrics-card .em-lede{margin:0 0 8px;color:var(--em-_muted)}
.equivmetrics-card .em-notes{margin:14px 0 0;padding:0 0 0 1.1em;color:var(--em-_muted);\
font-size:.85em}
"""


class _Indicator(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    def label_in(self, locale: str) -> tuple[str, str]: ...

    @property
    def measure(self) -> str: ...

    @property
    def target(self) -> float | None: ...


class _Score(Protocol):
    @property
    def indicator(self) -> _Indicator: ...

    @property
    def value(self) -> float: ...

    @property
    def status(self) -> str: ...

    @property
    def change(self) -> float | None: ...


class _WeakLink(Protocol):
    @property
    def indicator(self) -> str: ...

    @property
    def team(self) -> str: ...

    @property
    def value(self) -> float: ...

    @property
    def reference(self) -> float: ...


class _Valued(Protocol):
    @property
    def equivalents(self) -> Sequence[Equivalent]: ...


class _Stake(_Valued, Protocol):
    @property
    def counted(self) -> tuple[str, ...]: ...

    @property
    def direction(self) -> str: ...

    @property
    def gaining(self) -> tuple[str, ...]: ...

    @property
    def losing(self) -> tuple[str, ...]: ...

    @property
    def lagging(self) -> tuple[str, ...]: ...


class _Rule(Protocol):
    @property
    def reference(self) -> str: ...

    @property
    def signed(self) -> bool: ...


class ScorecardLike(Protocol):
    """What the card shows of a scorecard (:class:`equivmetrics.Scorecard` has all of it)."""

    @property
    def period(self) -> str: ...

    @property
    def history(self) -> tuple[str, ...]: ...

    @property
    def rule(self) -> _Rule: ...

    @property
    def scores(self) -> Sequence[_Score]: ...

    @property
    def weak_links(self) -> Sequence[_WeakLink]: ...

    @property
    def realised(self) -> Sequence[_Valued]: ...

    @property
    def at_stake(self) -> Sequence[_Stake]: ...

    @property
    def notes(self) -> tuple[str, ...]: ...


class _Words:
    """The card's words and numbers in its locale; in a language the library has no words
    for, English throughout, numbers included (``12,000``, never ``12.000`` under English)."""

    def __init__(self, locale: str) -> None:
        if catalog(language_of(locale)) is None:
            locale = "en"
        self.tag = locale.replace("_", "-")
        self.chrome = Chrome.of(self.tag)
        self.formatter = Formatter(locale)

    def text(self, key: str, **values: str) -> str:
        return self.chrome.text(f"scorecard.{key}", **values)

    def figure(self, value: float | None, measure: str, *, signed: bool = False) -> str:
        if value is None:
            return "–"
        shown = value * 100 if measure == "ratio" else value
        text = self.formatter.number(abs(shown), 3) if signed else self.formatter.number(shown, 3)
        if signed:  # a change: of a share, in percentage points
            text = ("+" if value > 0 else "−" if value < 0 else "±") + text
            return self.text("points", value=text) if measure == "ratio" else text
        return self.text("percent", value=text) if measure == "ratio" else text

    def label(self, indicator: _Indicator) -> tuple[str, str]:
        """An indicator's title in the card's language, and the ``lang`` to mark it with ("" when
        it is written in the card's language; "en" for a title with no translation)."""
        text, tag = indicator.label_in(self.tag)
        return text, "" if language_of(tag) == language_of(self.tag) else tag

    def teams(self, names: Sequence[str]) -> str:
        if len(names) <= 1:
            return "".join(names)
        return self.text("and", first=", ".join(names[:-1]), last=names[-1])


def scorecard_words(card: ScorecardLike, locale: str = "en") -> dict[str, Any]:
    """The card's words for another medium (a report section, plain text), worded in ``locale``:

    ``heading``; ``columns`` and ``scores`` (a row of cells per indicator, the first the
    indicator's title) with ``score_languages`` (per row the ``lang`` of a title not written in
    ``locale``, else ""); ``weak_heading`` and ``weak`` (one line per weak link, or the line
    saying there are none; ``weak_html``: the same as HTML, titles marked); ``realised_heading``
    and ``realised`` (the equivalents' texts); ``stake_heading`` and ``stakes`` (per value at
    stake its ``lede`` and ``items``, the equivalents' texts); ``notes``.
    """
    words = _Words(locale)
    stakes = [
        {"lede": _stake_lede(words, stake, card), "items": [e.text for e in stake.equivalents]}
        for stake in card.at_stake
    ]
    return {
        "heading": words.text("heading", period=card.period),
        "columns": [words.text(k) for k in ("indicator", "value", "target", "status", "trend")],
        "scores": [_score_line(words, score, card.history) for score in card.scores],
        "score_languages": [words.label(score.indicator)[1] for score in card.scores],
        "weak_heading": words.text("weak_links"),
        "weak": [_weak_line(words, link, card) for link in card.weak_links]
        or [words.text("no_weak_links")],
        "weak_html": [_weak_html(words, link, card) for link in card.weak_links]
        or [escape(words.text("no_weak_links"))],
        "realised_heading": words.text("realised"),
        "realised": [e.text for r in card.realised for e in r.equivalents],
        "stake_heading": words.text("at_stake"),
        "stake_ledes": [stake["lede"] for stake in stakes],
        "stakes": stakes or [{"lede": words.text("nothing_at_stake"), "items": []}],
        "notes": list(card.notes),
        "language": "en" if words.chrome.mark else words.tag,
    }


def scorecard_html(
    card: ScorecardLike, *, title: str | None = None, locale: str = "en", heading_level: int = 2
) -> str:
    """The scorecard as one ``<section class="equivmetrics-card">`` fragment."""
    words = _Words(locale)
    heading = title if isinstance(title, str) else words.text("heading", period=card.period)
    card_id = _card_id(card, heading, words.tag)
    sub = f"h{min(heading_level + 1, 6)}"
    parts = [
        f'<section class="equivmetrics-card em-scorecard" aria-labelledby="{card_id}"'
        f"{lang_attrs(words.tag)}><style>{CARD_CSS}{_CSS}</style>",
        f'<h{heading_level} class="em-title" id="{card_id}">{escape(heading)}</h{heading_level}>',
        _table(words, card),
        f'<{sub} class="em-sub">{escape(words.text("weak_links"))}</{sub}>',
        _weak_list(words, card),
    ]
    realised = [e for r in card.realised for e in r.equivalents]
    if realised:
        parts.append(f'<{sub} class="em-sub">{escape(words.text("realised"))}</{sub}>')
        parts.append(tiles_html(realised, f"{card_id}-r", words.chrome))
    parts.append(f'<{sub} class="em-sub">{escape(words.text("at_stake"))}</{sub}>')
    parts.extend(_stakes(words, card, card_id))
    if card.notes:
        notes = "".join(f"<li>{escape(note)}</li>" for note in card.notes)
        parts.append(f'<ul class="em-notes" lang="en">{notes}</ul>')
    parts.append("</section>")
    return "".join(parts)


def scorecard_page(card: ScorecardLike, *, title: str | None = None, locale: str = "en") -> str:
    """A complete HTML document showing the scorecard's card (previews, screenshots, e-mail)."""
    words = _Words(locale)
    heading = title if isinstance(title, str) else words.text("heading", period=card.period)
    html = scorecard_html(card, title=title, locale=locale, heading_level=1)
    return page_html(html, heading, words.tag)


def _card_id(card: ScorecardLike, heading: str, tag: str) -> str:
    digest = hashlib.blake2s(digest_size=5)
    facts = (heading, tag, card.period, *(f"{s.indicator.name}={s.value!r}" for s in card.scores))
    for part in facts:
        digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
    return f"em-{digest.hexdigest()}"


def _score_line(words: _Words, score: _Score, history: tuple[str, ...]) -> list[str]:
    ind = score.indicator
    target = words.figure(ind.target, ind.measure) if ind.target is not None else "–"
    status = words.text(score.status)
    if score.change is None or not history:
        trend = "–"
    else:
        change = words.figure(score.change, ind.measure, signed=True)
        trend = words.text("since", change=change, period=history[-1])
    return [words.label(ind)[0], words.figure(score.value, ind.measure), target, status, trend]


def _table(words: _Words, card: ScorecardLike) -> str:
    head = "".join(
        f'<th scope="col">{escape(words.text(key))}</th>'
        for key in ("indicator", "value", "target", "status", "trend")
    )
    rows = []
    for score in card.scores:
        cells = _score_line(words, score, card.history)
        status = f'<td class="em-{escape(score.status)}">{escape(cells[3])}</td>'
        lang = _lang(words.label(score.indicator)[1])
        rows.append(
            f'<tr><th scope="row"{lang}>{escape(cells[0])}</th><td>{escape(cells[1])}</td>'
            f"<td>{escape(cells[2])}</td>{status}<td>{escape(cells[4])}</td></tr>"
        )
    body = "".join(rows)
    return f'<table class="em-scores"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _weak_line(words: _Words, link: _WeakLink, card: ScorecardLike, label: str = "") -> str:
    score = next(s for s in card.scores if s.indicator.name == link.indicator)
    return words.text(
        "weak_link",
        team=link.team,
        indicator=label or words.label(score.indicator)[0],
        value=words.figure(link.value, score.indicator.measure),
        reference=words.figure(link.reference, score.indicator.measure),
    )


def _weak_html(words: _Words, link: _WeakLink, card: ScorecardLike) -> str:
    """A weak link's line as HTML: the title marked with its ``lang`` when it differs."""
    score = next(s for s in card.scores if s.indicator.name == link.indicator)
    title, lang = words.label(score.indicator)
    line = escape(_weak_line(words, link, card, label="\x00"))
    return line.replace(
        "\x00", f"<span{_lang(lang)}>{escape(title)}</span>" if lang else escape(title)
    )


def _lang(tag: str) -> str:
    return f' lang="{escape(tag)}"' if tag else ""


def _weak_list(words: _Words, card: ScorecardLike) -> str:
    if not card.weak_links:
        return f'<p class="em-lede">{escape(words.text("no_weak_links"))}</p>'
    lines = "".join(f"<li>{_weak_html(words, w, card)}</li>" for w in card.weak_links)
    return f'<ul class="em-weak">{lines}</ul>'


def _stake_lede(words: _Words, stake: _Stake, card: ScorecardLike) -> str:
    """What the value at stake's equivalents are: a gain, a net gain or loss, or nothing."""
    target = "_target" if card.rule.reference == "target" else ""
    if stake.direction == "none":
        if stake.gaining or stake.losing:  # signed: the gains and losses cancel out
            return words.text("net_zero")
        if stake.lagging:  # weak links at adoption or performance 0: nothing to scale
            return words.text("zero_at_stake", teams=words.teams(stake.lagging))
        return words.text("nothing_at_stake")
    if card.rule.signed:  # the net change if every team were at its reference
        gains = words.text("gains", teams=words.teams(stake.gaining)) if stake.gaining else ""
        losses = words.text("losses", teams=words.teams(stake.losing)) if stake.losing else ""
        detail = words.text("both", gains=gains, losses=losses) if gains and losses else gains
        return words.text(f"net_{stake.direction}{target}", detail=detail or losses)
    key = "if_at_target" if target else "if_like_rest"
    # the verb agrees with the teams: "wenn Billing es nutzen würde", "… nutzen würden"
    return words.chrome.plural(
        f"scorecard.{key}", len(stake.counted), teams=words.teams(stake.counted)
    )


def _stakes(words: _Words, card: ScorecardLike, card_id: str) -> list[str]:
    if not card.at_stake:
        return [f'<p class="em-lede">{escape(words.text("nothing_at_stake"))}</p>']
    parts = []
    for n, stake in enumerate(card.at_stake, 1):
        parts.append(f'<p class="em-lede">{escape(_stake_lede(words, stake, card))}</p>')
        if stake.equivalents:
            parts.append(tiles_html(stake.equivalents, f"{card_id}-s{n}", words.chrome))
    return parts
