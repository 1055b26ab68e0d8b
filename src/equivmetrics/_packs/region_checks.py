"""Checking what callers and packs say about places: a region asked for, packs read twice,
overlays of packs that are not loaded. :mod:`.select` calls these before it chooses.
"""

from __future__ import annotations

from collections.abc import Sequence

from equivmetrics._core import regions as _regions
from equivmetrics._core.suggest import close_matches
from equivmetrics.exceptions import InputLookupError, InputValueError, Location, PackError, Problem

from .model import Pack

__all__ = ["check_overlays", "check_region", "check_unique"]


def check_overlays(packs: Sequence[Pack]) -> None:
    """An overlay must extend a pack that is loaded."""
    names = {p.name for p in packs if not p.extends}
    problems = [
        Problem(
            Location(p.origin),
            "extends",
            f"overlay {p.name!r} extends {p.extends!r}, but no loaded pack is named {p.extends!r}",
            "load the pack it extends too, or correct 'extends:'",
        )
        for p in packs
        if p.extends and p.extends not in names
    ]
    if problems:
        raise PackError(problems)


def check_unique(packs: Sequence[Pack]) -> None:
    """The same pack read twice (a bundled pack also named by path) is a pack error."""
    seen: dict[tuple[str, str], Pack] = {}
    problems = []
    for pack in packs:
        first = seen.setdefault((pack.name, pack.edition), pack)
        if first is not pack:
            problems.append(
                Problem(
                    Location(pack.origin),
                    "name",
                    f"pack {pack.name!r} edition {pack.edition!r} is loaded twice (also from "
                    f"{first.origin})",
                    "load each pack once (a bundled pack needs no path), or give each a "
                    "distinct name or edition",
                )
            )
    if problems:
        raise PackError(problems)


def check_region(packs: Sequence[Pack], region: str | None) -> str:
    """``region`` canonical; an error naming what was meant when it is not a region code or no
    pack has figures for it (codes, region names and eGRID acronyms are matched)."""
    if region is None:
        return _regions.DEFAULT_REGION
    if not isinstance(region, str):
        raise InputValueError(
            f"region must be a region code such as 'GB' or 'US-CAMX', got "
            f"{type(region).__name__} {region!r}",
            value=region,
        )
    names = _names(packs)
    try:
        code = _regions.normalize(region)
    except ValueError as exc:
        raise InputValueError(f"{exc}{_meant(region, names)}", value=region) from None
    if code != _regions.DEFAULT_REGION and not any(code in p.covers() for p in packs):
        known = sorted(names)
        hint = _meant(code, names).removeprefix("; ")
        hint += " " if hint else ""
        wider = [c for c in _regions.ancestry(code)[1:] if c in names and c != _regions.WORLD]
        country = code.split("-")[0]
        if "-" in code and country == "US":
            hint += (
                f"{code} is no subregion the packs know (U.S. subregions are eGRID's, such as "
                "US-CAMX, not states); "
            )
        elif "-" in code and country in names:
            hint += f"the packs have figures for {country} as a whole: region={country!r}; "
        elif wider:
            hint += f"{code} lies in {wider[0]}: region={wider[0]!r} gives its figures; "
        raise InputLookupError(
            f"no loaded pack has figures for region {code!r}; {hint}regions with figures: "
            f"{', '.join(known) or 'none'} (em.regions() or `equivmetrics regions` lists "
            "them with their editions)",
            value=code,
        )
    return code


def _names(packs: Sequence[Pack]) -> dict[str, str]:
    """Every region code the packs have figures for, with its name where a table gives one."""
    found: dict[str, str] = {}
    for pack in packs:
        titles = {r.code: r.name for r in pack.regions}
        for code in pack.covers():
            if titles.get(code) or code not in found:
                found[code] = titles.get(code, found.get(code, ""))
    return found


def _meant(text: str, names: dict[str, str]) -> str:
    """``"; did you mean 'US-CAMX'?"`` for a code, a name or an eGRID acronym close to
    ``text`` (``""`` when none is)."""
    key = text.strip().casefold()
    by_key = {code.casefold(): code for code in names}
    by_key.update({name.casefold(): code for code, name in names.items() if name})
    by_key.update({code.split("-", 1)[1].casefold(): code for code in names if "-" in code})
    found = [by_key[key]] if key in by_key else []
    found += [by_key[k] for k in close_matches(key, by_key, 3)]
    found = list(dict.fromkeys(c for c in found if c.casefold() != key or key not in by_key))
    if not found and key in by_key:
        found = [by_key[key]]
    return f"; did you mean {' or '.join(map(repr, found[:3]))}?" if found else ""
