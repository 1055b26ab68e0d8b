"""Default input units: which kind claims a unit, and the units no kind may claim.

A kind's ``input_units`` claim units as the default reading of an input: ``kWh`` goes to
electricity avoided without ``of=``. A claim covers the unit's prefixed forms too (``kWh`` also
claims ``MWh``) unless two kinds claim the same root, and a unit is claimed by one kind only.

A pack's ``ambiguous_units`` name units whose amounts could be of several kinds — joules are
food, fuel or electricity alike. No kind of any loaded pack may claim such a unit, with or
without a prefix (a claim is a :class:`~equivmetrics.PackError` at the claim's line, naming
the declaration), and an input in one is read only with ``of=`` (see ``_engine.reading``).
"""

from __future__ import annotations

from collections.abc import Mapping

from equivmetrics._core.units import PintUnit, UnitScope
from equivmetrics._packs.model import AmbiguousUnit, KindSpec
from equivmetrics.exceptions import Problem, UnitError

from .catalog import Kind

__all__ = ["Claims"]


class Claims:
    """The claims and ambiguous units of the packs being built; problems go to ``problems``."""

    def __init__(
        self, units: UnitScope, kinds: Mapping[str, Kind], problems: list[Problem]
    ) -> None:
        self.units = units
        self.kinds = kinds  # the builder's kinds, filled as they are checked
        self.problems = problems  # the builder's, so that problems stay in the packs' order
        self.by_unit: dict[PintUnit, str] = {}
        #: The declarations by the root (unprefixed) name of their unit: ``joule`` for ``kJ``.
        self.ambiguous: dict[str, AmbiguousUnit] = {}
        #: The root name of each unit seen (pint's reading of a name tries every prefix).
        self._roots: dict[PintUnit, str | None] = {}

    def root_name(self, unit: PintUnit) -> str | None:
        """:meth:`UnitScope.root_name`, worked out once per unit."""
        try:
            return self._roots[unit]
        except KeyError:
            root = self._roots[unit] = self.units.root_name(unit)
            return root

    def declare(self, spec: AmbiguousUnit) -> None:
        """Record a pack's ambiguous unit; two packs may declare the same one."""
        field = f"ambiguous_units.{spec.unit}"
        try:
            unit = self.units.parse(spec.unit)
        except UnitError as exc:
            self.problems.append(Problem(spec.location, field, str(exc)))
            return
        root = self.root_name(unit)
        if root is None:
            self.problems.append(
                Problem(
                    spec.location,
                    field,
                    f"{spec.unit!r} is not a single unit name",
                    "name one unit, such as 'joule'; its prefixed forms (kJ, MJ...) are meant too",
                )
            )
            return
        self.ambiguous.setdefault(root, spec)

    def claim(self, spec: KindSpec, unit: PintUnit) -> None:
        """Record the units kind ``spec`` (measured in ``unit``) claims as its default input."""
        field, where = f"kinds.{spec.name}.input_units", spec.where("input_units")
        for claimed in spec.input_units:
            try:
                claimed_unit = self.units.parse(claimed)
            except UnitError as exc:
                self.problems.append(Problem(where, field, str(exc)))
                continue
            if claimed_unit.dimensionality != unit.dimensionality:
                message = f"{claimed!r} does not measure the same thing as {spec.unit!r}"
                self.problems.append(Problem(where, field, message))
            elif (declared := self.declared(claimed_unit)) is not None:
                self.problems.append(
                    Problem(
                        where,
                        field,
                        f"{claimed!r} of pack {spec.pack!r} is declared ambiguous by pack "
                        f"{declared.pack!r} at {declared.location}: {declared.reason}",
                        "no kind may claim it, with or without a prefix; leave it out and give "
                        "'of=' when converting",
                    )
                )
            elif (owner := self.claimed_by(claimed_unit, spec.name)) is not None:
                self.problems.append(
                    Problem(
                        where,
                        field,
                        f"{claimed!r} of pack {spec.pack!r} is already claimed by kind "
                        f"{owner.name!r} of pack {owner.pack!r} at {owner.location}",
                        "a unit (with or without a prefix: kWh, MWh) can be the default input "
                        "of one kind only; leave it out and give 'of=' when converting",
                    )
                )
            else:
                self.by_unit[claimed_unit] = spec.name

    def declared(self, unit: PintUnit) -> AmbiguousUnit | None:
        """The declaration ``unit`` falls under (by its unprefixed name), if any."""
        root = self.root_name(unit)
        return self.ambiguous.get(root) if root is not None else None

    def claimed_by(self, unit: PintUnit, kind: str) -> Kind | None:
        """The other kind claiming ``unit``, or the same unit with another prefix (MWh, kWh)."""
        owner = self.by_unit.get(unit)
        if owner is None:
            root = self.root_name(unit)
            owner = next(
                (
                    k
                    for u, k in self.by_unit.items()
                    if root and k != kind and self.root_name(u) == root
                ),
                None,
            )
        return self.kinds[owner] if owner is not None and owner != kind else None

    def roots(self) -> dict[str, str]:
        """Claims by unprefixed unit name (``kWh`` also claims ``MWh``), where unambiguous."""
        roots: dict[str, str | None] = {}
        for unit, kind in self.by_unit.items():
            root = self.root_name(unit)
            if root is None:
                continue
            roots[root] = kind if roots.get(root, kind) == kind else None
        return {root: kind for root, kind in roots.items() if kind is not None}
