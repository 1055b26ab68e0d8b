"""A kind's name and an amount of money, in the reader's language.

A kind is named by its plural label ("Hours of manual work", "Stunden manuelle Arbeit") where
the pack translates it into the reader's locale or language, and by its English label otherwise;
:class:`Name` says which language the words are in, so HTML can mark English words in a German
page with ``lang="en"``. Amounts take the locale's currency format (CLDR's through babel in a
language other than English, ``"$27,000"`` in English without babel).

>>> from equivmetrics._present.formatter import Formatter
>>> amount(27390.0, 3, "USD", Formatter("en"))
'$27,400'
"""

from __future__ import annotations

import attrs

from equivmetrics._catalog.catalog import Kind

from . import cldr
from .formatter import Formatter, english_money
from .messages import language_of

__all__ = ["Name", "amount", "kind_name"]


@attrs.frozen
class Name:
    """Words naming something, and the language (a BCP 47 tag) they are in."""

    text: str
    language: str


def kind_name(kind: Kind, locale: str) -> Name:
    """The kind's plural label, first letter capitalised, in ``locale`` when its pack has labels
    for it (or its language), else in English."""
    if language_of(locale) != "en":
        label = kind.presentation.label(locale, "other")
        if label:
            return Name(_capitalised(label), locale.replace("_", "-"))
    return Name(_capitalised(kind.label_other), "en")


def amount(value: float, sig: int, currency: str, formatter: Formatter) -> str:
    """``value`` of ``currency`` rounded to ``sig`` digits in the formatter's locale."""
    if formatter.english:
        return english_money(formatter.number(value, sig), currency)
    return cldr.money_text(value, sig, currency, formatter)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
