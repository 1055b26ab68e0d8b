"""The library's own words, per language: a small catalog for each, shipped with the package.

What the packs say (labels, the wording of each role) comes from the packs. What the library
adds — "(range 110–200)", "less than 1", the card's headings, ROI outcomes, the demo's titles —
comes from ``messages/<language>.toml`` inside the package: English, German, French and
Spanish. A file is read through :mod:`importlib.resources` the first time its language is
needed, and kept. ``root.toml`` holds the sentence words for a language without a catalog of
its own (symbols, so a pack's translation is never mixed with English words).

Periods ("pro Monat") and durations ("1 Std. 15 Min.") are not in the catalogs: they come from
CLDR through babel (:mod:`.cldr`).

>>> from equivmetrics._present.messages import catalog
>>> catalog("de").text("equivalent.range", range="110–200")
'(Bandbreite 110–200)'
>>> catalog("fr").plural("card.sources", "other", count="3")
'Sources (3)'
>>> catalog("pt") is None
True
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import attrs

from equivmetrics._packs.model import locale_keys
from equivmetrics._packs.wording import fill

__all__ = ["ROOT", "Messages", "catalog", "language_of", "languages", "sentence_words"]

#: The catalog of sentence words for languages the library has no catalog for.
ROOT = "root"


def language_of(locale: str) -> str:
    """The language of a locale: ``"de"`` for ``de_CH`` or ``de-CH``, in lower case."""
    return locale_keys(locale)[1]


@attrs.frozen
class Messages:
    """One language's words: texts by ``section.key``, some of them by plural category."""

    language: str
    table: Mapping[str, Mapping[str, Any]] = attrs.field(repr=False)

    def has(self, key: str) -> bool:
        """Whether this catalog has ``key`` (``"equivalent.zero"``)."""
        section, _, name = key.partition(".")
        return name in self.table.get(section, {})

    def raw(self, key: str) -> Any:
        """The entry as written: a text, a mapping of plural category to text, or a list."""
        section, _, name = key.partition(".")
        return self.table[section][name]

    def text(self, key: str, **values: str) -> str:
        """The text of ``key`` with its placeholders filled."""
        return fill(str(self.raw(key)), **values)

    def plural(self, key: str, category: str, **values: str) -> str:
        """The text of ``key`` for a CLDR plural category (``other`` when it has no such form)."""
        forms = self.raw(key)
        if isinstance(forms, str):
            return fill(forms, **values)
        return fill(str(forms.get(category) or forms["other"]), **values)

    def words(self, key: str) -> tuple[str, ...]:
        """A list entry, such as the words an icon's text alternative leaves out."""
        return tuple(str(item) for item in self.raw(key))


@functools.cache
def languages() -> frozenset[str]:
    """The languages the library has a catalog for (``en``, ``de``, ``fr``, ``es``)."""
    folder = files("equivmetrics").joinpath("messages")
    names = (
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".toml")
    )
    return frozenset(name for name in names if name != ROOT)


@functools.cache
def _load(name: str) -> Messages:
    path = files("equivmetrics").joinpath("messages", f"{name}.toml")
    return Messages(name, tomllib.loads(path.read_text(encoding="utf-8")))


def catalog(language: str) -> Messages | None:
    """The catalog of ``language`` (a language code such as ``de``), or None without one."""
    name = language_of(language) if isinstance(language, str) else ""
    return _load(name) if name in languages() else None


def sentence_words(language: str) -> Messages:
    """The words of sentences in ``language``: its catalog, or the language-neutral one."""
    return catalog(language) or _load(ROOT)
