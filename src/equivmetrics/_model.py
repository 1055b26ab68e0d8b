"""Frozen records of what a pack declares, as validated by the loader.

These hold text exactly as written (unit strings, factor expressions) plus where it was written;
the catalog turns them into checked units, values and a rule graph.
"""

from __future__ import annotations

import attrs

from ._errors import Location

__all__ = [
    "Example",
    "KindSpec",
    "Pack",
    "ParameterSpec",
    "RuleSpec",
    "Source",
    "UnitSpec",
]


@attrs.frozen
class Source:
    """A citation: what the number comes from, precisely enough for a reader to check it."""

    key: str
    title: str
    publisher: str = ""
    url: str = ""
    edition: str = ""
    note: str = ""

    def cite(self) -> str:
        """A one-line citation such as ``"BLS, Employer Costs ... (June 2025)"``."""
        text = f"{self.publisher}, {self.title}" if self.publisher else self.title
        if self.edition:
            text += f" ({self.edition})"
        return text


@attrs.frozen
class UnitSpec:
    """A unit a pack adds to the library registry (never a redefinition)."""

    name: str
    definition: str
    aliases: tuple[str, ...]
    location: Location
    pack: str


@attrs.frozen
class KindSpec:
    """What is measured: a dimension (from its display unit), labels, icon and claimed units."""

    name: str
    unit: str
    label_one: str
    label_other: str
    input_units: tuple[str, ...]
    icon: str
    description: str
    location: Location
    pack: str
    refuse_units: tuple[tuple[str, str], ...] = ()
    field_locations: tuple[tuple[str, Location], ...] = ()

    def where(self, field: str) -> Location:
        """Where ``field`` was written (the kind's own location when not recorded)."""
        return dict(self.field_locations).get(field, self.location)


@attrs.frozen
class ParameterSpec:
    """A named, cited input to factors."""

    name: str
    value: str
    low: str | None
    high: str | None
    source: Source
    edition: str
    note: str
    assumption: bool
    location: Location
    pack: str


@attrs.frozen
class RuleSpec:
    """A linear equivalence ``to = from x factor``."""

    id: str
    source_kind: str
    target_kind: str
    factor: str
    reversible: bool
    preferred: bool
    note: str
    sources: tuple[Source, ...]
    location: Location
    factor_location: Location
    pack: str


@attrs.frozen
class Example:
    """A worked example a pack proves about itself: ``given`` converted ``to`` is ``expect``."""

    given: str
    to: str
    expect: str
    of: str | None
    per: str | None
    tolerance: float
    low: str | None
    high: str | None
    params: tuple[tuple[str, str], ...]
    note: str
    location: Location
    pack: str


@attrs.frozen
class Pack:
    """One validated pack file."""

    name: str
    edition: str
    title: str
    description: str
    license: str
    origin: str
    sources: tuple[Source, ...]
    units: tuple[UnitSpec, ...]
    kinds: tuple[KindSpec, ...]
    parameters: tuple[ParameterSpec, ...]
    rules: tuple[RuleSpec, ...]
    examples: tuple[Example, ...]
