"""Choosing the packs an engine holds for a region and edition, with regional figures applied.

Packs that name no region hold everywhere and are always taken. Packs that do are alternatives
by topic (``topic:``, by default the pack's name): for each topic the pack with the most
specific figures for the region is taken — its own region first, then a region its table
lists, walking from the region asked for out to ``World`` — or the one whose edition was
named. Then the figures are placed: the chosen pack's table entry for the region replaces its
parameters, and so does the entry of an overlay (``extends:``) that is more specific than the
pack, or whose edition was named. The region asked for must itself have figures in some pack:
a place no pack knows is an error, never a silent fallback to a wider region.

docs/regions.md explains the rules with examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from equivmetrics._core import regions as _regions
from equivmetrics._core.suggest import close_matches, shown
from equivmetrics.exceptions import (
    EquivMetricsError,
    InputValueError,
    Location,
    PackError,
    Problem,
)

from .model import Pack, ParameterSpec, RegionSpec
from .region_checks import check_overlays, check_region, check_unique

__all__ = ["RegionInfo", "Selection", "available_regions", "fits", "select", "usable_editions"]


@attrs.frozen
class Selection:
    """The packs for one region and edition, and what was chosen."""

    packs: tuple[Pack, ...]
    #: The region asked for, canonical (``"US-CAMX"``).
    region: str
    #: ``(pack, edition)`` of each regional pack taken, overlays included, in load order.
    editions: tuple[tuple[str, str], ...]


@attrs.frozen
class RegionInfo:
    """A region some pack has figures for: its code, name, and the editions that cover it."""

    code: str
    name: str
    #: ``(topic, edition, pack)`` for every pack or overlay with figures for the region.
    editions: tuple[tuple[str, str, str], ...]
    #: The editions an engine for the region takes when none is named.
    defaults: tuple[str, ...] = ()


def _wanted(edition: str | Iterable[str] | None) -> tuple[str, ...]:
    if edition is None:
        return ()
    names = (edition,) if isinstance(edition, str) else tuple(edition)
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise InputValueError(
                f"edition must be a non-empty name such as 'DESNZ 2025', got {name!r}",
                value=name,
            )
    return tuple(name.strip().casefold() for name in names)


def _named(pack: Pack, wanted: Sequence[str]) -> bool:
    return any(e.casefold() in wanted for e in pack.editions())


def _rank(pack: Pack, chain: Sequence[str]) -> tuple[int, int] | None:
    """How closely ``pack`` fits: (place in the region's ancestry, 0 own region / 1 table); a
    pack of no region of its own fits everywhere, after every regional one.

    An aggregate's figures (``EU``, ``World``) fit only the aggregate itself: a country without
    figures of its own never gets an average silently. A country's figures fit its
    subregions (the EPA pack's national equivalents in ``US-CAMX``).
    """
    table = {r.code for r in pack.regions}
    for depth, code in enumerate(_own(chain)):
        if code == pack.region:
            return depth, 0
        if code in table:
            return depth, 1
    return None if pack.region else (len(chain), 0)


def _own(chain: Sequence[str]) -> Sequence[str]:
    """The region and the regions enclosing it whose figures may stand for it: up to the
    first aggregate above it."""
    for depth, code in enumerate(chain):
        if depth and code in _regions.AGGREGATES:
            return chain[:depth]
    return chain


def _entry(pack: Pack, chain: Sequence[str]) -> RegionSpec | None:
    """The most specific table entry of ``pack`` along ``chain``."""
    table = {r.code: r for r in pack.regions}
    return next((table[code] for code in _own(chain) if code in table), None)


def _one(candidates: list[Pack], what: str, region: str) -> Pack:
    """The pack marked ``default`` among equally fit ``candidates``, else the one read last
    (your own packs are read after the bundled ones); two defaults are an error."""
    defaults = [p for p in candidates if p.default]
    if len(defaults) <= 1:
        return defaults[0] if defaults else candidates[-1]
    names = ", ".join(f"{p.edition!r} ({Location(p.origin).name})" for p in defaults)
    raise InputValueError(
        f"{what}: several editions marked default fit region {region!r} ({names}); mark one "
        "default, or name one with edition=",
        value=region,
    )


def _base(group: list[Pack], chain: Sequence[str], wanted: Sequence[str]) -> Pack | None:
    what = f"topic {group[0].topic or group[0].name!r}"
    ranked = [(rank, p) for p in group if (rank := _rank(p, chain)) is not None]
    if wanted:
        named = [(rank, p) for rank, p in ranked if _named(p, wanted)]
        if len({p.edition for _, p in named}) > 1:
            names = ", ".join(sorted({repr(p.edition) for _, p in named}))
            raise InputValueError(
                f"{what}: the editions named include several of its editions ({names}); "
                "name one edition per topic",
                value=names,
            )
        ranked = named or ranked
    if not ranked:
        return None
    best = min(rank for rank, _ in ranked)
    return _one([p for rank, p in ranked if rank == best], what, chain[0])


def _overlay(
    base: Pack, overlays: list[Pack], chain: Sequence[str], wanted: Sequence[str]
) -> Pack | None:
    """The overlay of ``base`` to apply: one whose edition was named, else a default one that
    has figures more specific than ``base`` has itself."""
    mine = [o for o in overlays if o.extends == base.name and _rank(o, chain) is not None]
    named = [o for o in mine if wanted and _named(o, wanted)]
    if len({o.edition for o in named}) > 1:
        names = ", ".join(sorted({repr(o.edition) for o in named}))
        raise InputValueError(
            f"the overlays of {base.name!r}: the editions named include several of them "
            f"({names}); name one",
            value=names,
        )
    if named:
        return _one(named, f"the overlays of {base.name!r}", chain[0])
    if wanted and _named(base, wanted):
        return None  # the base's own edition was named: no default overlay creeps in
    base_rank = _rank(base, chain)
    closer = [o for o in mine if base_rank is None or (_rank(o, chain) or base_rank) < base_rank]
    return _one(closer, f"the overlays of {base.name!r}", chain[0]) if closer else None


def _apply(pack: Pack, entries: Iterable[RegionSpec | None]) -> Pack:
    """``pack`` with its parameters replaced by the entries' (later entries win).

    Raises :class:`~equivmetrics.PackError` when an entry sets a parameter ``pack`` lacks.
    """
    replaced: dict[str, ParameterSpec] = {p.name: p for p in pack.parameters}
    problems = []
    for entry in entries:
        for spec in entry.parameters if entry else ():
            if spec.name not in replaced:
                close = close_matches(spec.name, replaced, 1)
                problems.append(
                    Problem(
                        spec.location,
                        f"regions.{spec.region}.parameters.{spec.name}",
                        f"pack {pack.name!r} has no parameter {spec.name!r} to set",
                        f"did you mean {close[0]!r}?"
                        if close
                        else f"a region entry can only set parameters that {pack.name!r} declares",
                    )
                )
            replaced[spec.name] = spec
    if problems:
        raise PackError(problems)
    return attrs.evolve(pack, parameters=tuple(replaced.values()))


def _covered(packs: Sequence[Pack], region: str) -> bool:
    return any(region in p.covers() for p in packs)


def select(
    packs: Sequence[Pack], region: str | None = None, edition: str | Iterable[str] | None = None
) -> Selection:
    """The packs to build an engine from for ``region`` (default ``US``) and ``edition``.

    Raises :class:`~equivmetrics.InputLookupError` for a region no pack has figures for (with
    the regions that exist) and :class:`~equivmetrics.InputValueError` for an edition no pack
    for the region has, or a region written as no region code.
    """
    return _choose(packs, region, edition, detail=True)


def _choose(
    packs: Sequence[Pack],
    region: str | None,
    edition: str | Iterable[str] | None,
    *,
    detail: bool,
) -> Selection:
    """:func:`select`; errors list the editions that would do only with ``detail``."""
    if edition is not None and not isinstance(edition, str):
        edition = tuple(edition)
    check_unique(packs)
    check_overlays(packs)
    code = check_region(packs, region)
    chain = _regions.ancestry(code)
    wanted = _wanted(edition)
    overlays = [p for p in packs if p.extends]
    groups: dict[str, list[Pack]] = {}
    for pack in packs:
        if _alternative(pack):
            groups.setdefault(pack.topic or pack.name, []).append(pack)
    chosen: dict[int, Pack] = {}  # by the identity of the pack read: the pack to use
    editions: list[tuple[str, str]] = []
    for group in groups.values():
        base = _base(group, chain, wanted)
        if base is None:
            continue
        overlay = _overlay(base, overlays, chain, wanted)
        extra = _entry(overlay, chain) if overlay else None
        chosen[id(base)] = _apply(base, (_entry(base, chain), extra))
        editions.append((base.name, base.edition))
        if overlay is not None:
            chosen[id(overlay)] = overlay
            editions.append((overlay.name, overlay.edition))
    _check_editions(packs, chosen.values(), edition, code, detail=detail)
    _check_covered(packs, chosen.values(), edition, code, detail=detail)
    out = [
        chosen.get(id(p), p) for p in packs if id(p) in chosen or not (p.extends or _alternative(p))
    ]
    return Selection(packs=tuple(out), region=code, editions=tuple(editions))


def _alternative(pack: Pack) -> bool:
    """Whether ``pack`` is one of a topic's alternatives (regional, or of a named topic)."""
    return not pack.extends and bool(pack.region or pack.regions or pack.topic)


def _check_editions(
    packs: Sequence[Pack],
    chosen: Iterable[Pack],
    edition: str | Iterable[str] | None,
    region: str,
    *,
    detail: bool,
) -> None:
    taken = {e.casefold() for p in chosen for e in p.editions()}
    names = () if edition is None else (edition,) if isinstance(edition, str) else edition
    missing = [name for name in names if name.strip().casefold() not in taken]
    if missing:
        here = usable_editions(packs, region) if detail else []
        close = close_matches(missing[0].strip(), here, 2)
        hint = f" — did you mean {' or '.join(map(repr, close))}?" if close else ""
        raise InputValueError(
            f"no pack for region {region!r} has edition {shown(missing[0])}; editions for "
            f"{region!r}: {', '.join(map(repr, here)) or 'none'}{hint}",
            value=missing[0],
        )


def usable_editions(packs: Sequence[Pack], region: str) -> list[str]:
    """Every edition that loads for ``region`` when named alone (aliases included)."""
    chain = _regions.ancestry(region)
    found: list[str] = []
    for pack in packs:
        if (pack.extends or _alternative(pack)) and _rank(pack, chain) is not None:
            for name in pack.editions():
                try:
                    _choose(packs, region, name, detail=False)
                except EquivMetricsError:
                    continue
                found.append(name)
    return sorted(set(found), key=str.casefold)


def _check_covered(
    packs: Sequence[Pack],
    chosen: Iterable[Pack],
    edition: str | Iterable[str] | None,
    region: str,
    *,
    detail: bool,
) -> None:
    """With editions named, the packs chosen must have figures for the region itself: a
    subregion asked for with a national edition is an error, not the national figures."""
    chosen = list(chosen)
    if edition is None or region == _regions.DEFAULT_REGION or _covered(chosen, region):
        return
    here = usable_editions(packs, region) if detail else []
    wider = sorted({c for p in chosen for c in p.covers() if c in _regions.ancestry(region)})
    note = (
        f" (they hold for {', '.join(wider)} as a whole: load region={wider[0]!r} with them "
        "to reproduce a report made for it)"
        if wider
        else ""
    )
    raise InputValueError(
        f"the editions named ({_names(edition)}) have no figures for region {region!r}{note}; "
        f"editions with figures for {region!r}: {', '.join(map(repr, here)) or 'none'}",
        value=region,
    )


def _defaults(packs: Sequence[Pack], region: str) -> tuple[str, ...]:
    """The editions an engine for ``region`` takes by default (none when the packs cannot be
    loaded for it: validation reports why)."""
    try:
        return tuple(edition for _, edition in select(packs, region).editions)
    except EquivMetricsError:
        return ()


def fits(pack: Pack, region: str) -> bool:
    """Whether ``pack``'s figures may be taken for ``region`` (its own or an enclosing
    country's; an aggregate's only for the aggregate itself)."""
    return _rank(pack, _regions.ancestry(region)) is not None


def _names(edition: str | Iterable[str]) -> str:
    return ", ".join(map(repr, (edition,) if isinstance(edition, str) else edition))


def available_regions(packs: Sequence[Pack]) -> tuple[RegionInfo, ...]:
    """Every region the packs have figures for, sorted by code, with the editions per region."""
    found: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}
    topics = {p.name: p.topic or p.name for p in packs if not p.extends}
    for pack in packs:
        names = {r.code: r.name for r in pack.regions}
        for code in pack.covers():
            name, rows = found.setdefault(code, (names.get(code, ""), []))
            if not name and names.get(code):
                found[code] = (names[code], rows)
            topic = topics.get(pack.extends, pack.extends) if pack.extends else topics[pack.name]
            rows.append((topic, pack.edition, pack.name))
    return tuple(
        RegionInfo(
            code=code,
            name=name,
            editions=tuple(rows),
            defaults=_defaults(packs, code),
        )
        for code, (name, rows) in sorted(found.items())
    )
