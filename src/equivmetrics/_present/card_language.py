"""The language of an HTML card: its ``lang`` and ``dir``, and its own words in that language.

A card takes the language of its equivalents' words (``Equivalent.language``) when they share
one, or the ``lang=`` its caller gives. Its own words — the heading, "Range", "Sources (2)" —
come from the library's catalog of that language (:mod:`.messages`), or are English, marked
``lang="en"``, when the library has none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Protocol

from equivmetrics._core.quantity import unfit
from equivmetrics.exceptions import LocaleError

from .cldr import direction
from .formatter import formatter_of
from .messages import Messages, catalog, language_of, sentence_words

__all__ = ["LANG", "Chrome", "card_lang", "lang_attrs", "words_tag"]

LANG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")


class _Worded(Protocol):
    @property
    def locale(self) -> str: ...


def words_tag(e: _Worded) -> str:
    """The language tag of an equivalent's words (its locale's, when it does not say)."""
    return str(getattr(e, "language", "") or e.locale).replace("_", "-")


def card_lang(lang: str | None, items: Sequence[_Worded]) -> str:
    """A BCP 47 tag ('en-GB' for 'en_GB'): the one given, or the items' shared language, or ''."""
    if lang is None:
        tags = {words_tag(e) for e in items}
        if len(tags) != 1:
            return ""
        tag = tags.pop()
        return tag if LANG.fullmatch(tag) else ""
    tag = lang.replace("_", "-") if isinstance(lang, str) else ""
    if not LANG.fullmatch(tag):
        raise unfit(lang, str)(
            f"lang= must be a language tag such as 'en' or 'de-CH', got {lang!r}", value=lang
        )
    return tag


def lang_attrs(tag: str) -> str:
    """' lang="de-CH" dir="ltr"' for a tag ('' for none; no dir when babel cannot say)."""
    if not tag:
        return ""
    way = direction(tag)
    return f' lang="{escape(tag)}"' + (f' dir="{way}"' if way else "")


class Chrome:
    """The card's own words ("Range", "Sources") in the card's language, or in English.

    ``card`` is the card's tag; ``mark`` is ``' lang="en"'`` when the words are English in a
    card of another language (the library has no catalog for it), so screen readers still
    read them right.
    """

    def __init__(self, messages: Messages, card: str, mark: str) -> None:
        self.messages, self.card, self.mark = messages, card, mark

    @classmethod
    def of(cls, tag: str) -> Chrome:
        own = catalog(tag) if tag else None
        if own is not None:
            return cls(own, tag, "")
        english = sentence_words("en")
        return cls(english, tag, ' lang="en"' if tag and language_of(tag) != "en" else "")

    def text(self, key: str, **values: str) -> str:
        return self.messages.text(key, **values)

    def plural(self, key: str, number: int, **values: str) -> str:
        """The text of ``key`` for ``number`` of things (its CLDR plural category)."""
        try:
            category = formatter_of(self.messages.language).plural(number, len(str(number)))
        except LocaleError:  # no babel: the card's counts are small, and 1 is 'one' here
            category = "one" if number == 1 else "other"
        return self.messages.plural(key, category, **values)
