"""Catalogs for a region: the packs chosen for it (see :mod:`equivmetrics._packs.select`),
checked together, with the region and editions recorded.

>>> from equivmetrics._packs.load import bundled_files, read_packs
>>> catalog = regional_catalog(read_packs(bundled_files()))
>>> catalog.region, catalog.editions
('US', (('epa_ghg', 'AVERT2019-eGRID2019'), ('productivity', '2025.2')))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import attrs

from equivmetrics._core.expr import ExprError
from equivmetrics._core.money import generic
from equivmetrics._core.regions import specificity
from equivmetrics._core.units import base_scope
from equivmetrics._packs.model import Pack, ParameterSpec
from equivmetrics._packs.select import available_regions, fits, select
from equivmetrics.exceptions import EquivMetricsError, PackError, Problem

from .build import build_catalog
from .catalog import Catalog
from .values import read_value

__all__ = ["elsewhere", "place_of", "regional_catalog", "selections"]


def regional_catalog(
    packs: Sequence[Pack],
    *,
    region: str | None = None,
    edition: str | Iterable[str] | None = None,
) -> Catalog:
    """The catalog of the packs chosen for ``region`` and ``edition`` (default: ``US``, each
    topic's default edition). Raises :class:`~equivmetrics.PackError` for packs that do not
    fit together and the errors of :func:`~equivmetrics._packs.select.select` for a region or
    edition no pack has."""
    chosen = select(packs, region, edition)
    try:
        catalog = build_catalog(chosen.packs)
    except PackError as exc:
        entries = _entry_problems(packs, chosen.packs)
        raise PackError((*entries, *exc.problems)) if entries else exc from None
    return attrs.evolve(
        catalog, region=chosen.region, editions=chosen.editions, available=tuple(packs)
    )


def _entry_problems(read: Sequence[Pack], chosen: Sequence[Pack]) -> list[Problem]:
    """A region entry whose figure measures something else than the pack's own, reported at
    the entry (the rule that uses it fails too, further from the cause)."""
    own = {(p.name, s.name): s for p in read if not p.extends for s in p.parameters}
    scope = base_scope()
    problems = []
    for pack in chosen:
        for spec in pack.parameters:
            base = own.get((pack.name, spec.name))
            if base is None or base is spec or not spec.region:
                continue
            try:
                mine = read_value(scope, spec.value, spec.name).unit.dimensionality
                theirs = read_value(scope, base.value, base.name).unit.dimensionality
            except (EquivMetricsError, ExprError):
                continue  # a unit only the packs define, or an expression: the build says
            if generic(mine) != generic(theirs):  # a region's money in its own currency
                problems.append(
                    Problem(
                        spec.location,
                        f"regions.{spec.region}.parameters.{spec.name}",
                        f"{spec.name!r} for {spec.region} is {spec.value!r} ({mine}); pack "
                        f"{pack.name!r} measures it as {base.value!r} ({theirs})",
                        "give the region's figure in units of the same dimension",
                    )
                )
    return problems


def selections(packs: Sequence[Pack]) -> Iterator[tuple[str, str | None]]:
    """Every ``(region, edition)`` the packs can be loaded for: each region with figures, with
    its default editions (``None``) and with each edition that covers it by name."""
    for info in available_regions(packs):
        yield info.code, None
        for edition in sorted({edition for _, edition, _ in info.editions}):
            yield info.code, edition


def place_of(catalog: Catalog, pack: str, parameters: Iterable[ParameterSpec]) -> tuple[str, str]:
    """Where a rule's figures speak for and which edition they are: ``(region, edition)``.

    The most specific region among the rule's pack and the parameters it uses (a parameter's
    before the rule's pack at the same depth), with the edition of the pack that figure comes
    from; ``("", edition of the rule's pack)`` when
    none is regional (a rule of a pack that holds everywhere).
    """
    editions = {p.name: p.edition for p in catalog.packs}
    regions = {p.name: p.region for p in catalog.packs}
    places = [(regions.get(pack, ""), editions.get(pack, ""))]
    places.extend((spec.region, editions.get(spec.pack, spec.edition)) for spec in parameters)
    regional = [(n, place) for n, place in enumerate(places) if place[0]]
    if not regional:
        return "", editions.get(pack, "")
    # the most specific place; at the same depth a parameter's (an overlay's figure) before
    # the rule's own pack
    return max(regional, key=lambda item: (specificity(item[1][0]), item[0]))[1]


def elsewhere(catalog: Catalog, kind: str) -> str:
    """A hint for a kind this catalog lacks but a pack read for another edition or region
    defines (``""`` when none does). Another edition for this region is named; a pack for
    other places only is said to be so, never recommended in this region's place."""
    defining = [p for p in catalog.available if any(k.name == kind for k in p.kinds)]
    if not defining:
        return ""
    here = [p for p in defining if catalog.region and fits(p, catalog.region)]
    if here:
        return (
            f"; pack {here[0].name!r} (edition {here[0].edition!r}) defines it for region "
            f"{catalog.region!r}, but this engine holds another edition: load with "
            f"edition={here[0].edition!r}, or without edition= for the defaults"
        )
    places = sorted({c for p in defining for c in p.covers()})
    shown_places = ", ".join(places[:6]) + (", ..." if len(places) > 6 else "")
    return (
        f"; only the packs for {shown_places} define it, not those for region "
        f"{catalog.region!r} (engine.kinds lists the kinds this engine has)"
    )
