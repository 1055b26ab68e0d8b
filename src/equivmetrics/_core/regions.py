"""Region codes: how they are written, and which region contains which.

A region is where a factor holds: an ISO 3166-1 alpha-2 country code (``GB``, ``DE``), a U.S.
eGRID subregion (``US-CAMX``: the country, a hyphen and the subregion's acronym), or a named
aggregate (``EU`` for the 27 member states, ``World``). Codes are matched without regard to
case, and ``UK`` is read as ``GB``, the code ISO 3166 gives the United Kingdom.

Regions nest: ``US-CAMX`` lies in ``US``, ``DE`` in ``EU``, every country in ``World``.
:func:`ancestry` lists a region and every region containing it, most specific first; packs
are chosen along that list (see :mod:`equivmetrics._packs.select`).

>>> normalize("us-camx"), normalize("uk"), normalize("world"), normalize("USA")
('US-CAMX', 'GB', 'World', 'US')
>>> ancestry("US-CAMX")
('US-CAMX', 'US', 'World')
>>> ancestry("DE")
('DE', 'EU', 'World')
"""

from __future__ import annotations

import re

from .suggest import shown

__all__ = [
    "AGGREGATES",
    "DEFAULT_REGION",
    "EU_MEMBERS",
    "WORLD",
    "ancestry",
    "is_region",
    "normalize",
    "specificity",
]

#: The region an engine speaks for when none is named: what a U.S. user has always had.
DEFAULT_REGION = "US"
WORLD = "World"
#: The 27 member states of the European Union (ISO 3166-1 alpha-2; Greece is GR, not EL).
EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
_ALIASES = {
    "UK": "GB",
    "USA": "US",
    "EL": "GR",  # the EU's own code for Greece
    "WORLD": WORLD,
    "EU27": "EU",
    "EU-27": "EU",
}
#: Aggregates: figures for them are averages over their members, never a member's own.
AGGREGATES = frozenset({"EU", WORLD})
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_SUBREGION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,8}$")


def normalize(code: str) -> str:
    """The canonical spelling of a region code (upper case; ``World``; ``UK`` → ``GB``).

    Raises ``ValueError`` for text that is no region code at all; whether a pack speaks for
    the region is for the caller to check.
    """
    text = code.strip().upper()
    if re.fullmatch(r"(?:[A-Z]\.){2,3}", text):  # "U.S.", "U.K."
        text = text.replace(".", "")
    text = _ALIASES.get(text, text)
    if text in (WORLD, "EU") or _COUNTRY.match(text) or _SUBREGION.match(text):
        return text
    raise ValueError(
        f"{shown(code)} is not a region code: write an ISO 3166 country code such as 'GB' or "
        "'DE', a U.S. eGRID subregion such as 'US-CAMX', 'EU' or 'World'"
    )


def is_region(code: str) -> bool:
    """Whether ``code`` is written as a region code (any case)."""
    try:
        normalize(code)
    except ValueError:
        return False
    return True


def ancestry(code: str) -> tuple[str, ...]:
    """``code`` and every region that contains it, most specific first (``code`` canonical)."""
    region = normalize(code)
    chain = [region]
    if "-" in region:
        chain.append(region.split("-", 1)[0])
    if chain[-1] in EU_MEMBERS:
        chain.append("EU")
    if chain[-1] != WORLD:
        chain.append(WORLD)
    return tuple(chain)


def specificity(code: str) -> int:
    """How deep ``code`` lies: ``World`` 0, ``EU`` 1, a country 1 or 2, a subregion 2 or 3."""
    return len(ancestry(code)) - 1
