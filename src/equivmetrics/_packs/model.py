"""Frozen records of what a pack declares, as validated by the loader.

These hold text exactly as written (unit strings, factor expressions) plus where it was written;
the catalog turns them into checked units, values and a rule graph.
"""

from __future__ import annotations

from typing import Literal

import attrs

from equivmetrics._core.negative import NegativePolicy
from equivmetrics.exceptions import Location

from .source import ROLES, Role, Source, citation_dict, source_dict

__all__ = [
    "PLACEHOLDERS",
    "ROLES",
    "AmbiguousUnit",
    "Example",
    "IndicatorSpec",
    "KindSpec",
    "MetricSpec",
    "Pack",
    "ParameterSpec",
    "Presentation",
    "RegionSpec",
    "RewardSpec",
    "Role",
    "RuleSpec",
    "Source",
    "UnitSpec",
    "citation_dict",
    "locale_keys",
    "source_dict",
]


@attrs.frozen
class UnitSpec:
    """A unit a pack adds to the library registry (never a redefinition)."""

    name: str
    definition: str
    aliases: tuple[str, ...]
    location: Location
    pack: str


@attrs.frozen
class AmbiguousUnit:
    """A unit whose amounts could be of several kinds (joules: food, fuel or electricity).

    Every prefixed form is meant too (``joule`` covers J, kJ, MJ, GJ...): no kind may claim one
    as its default input, and an input in one is read only with ``of=``; ``reason`` says why.
    """

    unit: str
    reason: str
    location: Location
    pack: str


PLACEHOLDERS = ("value", "label", "per")


@attrs.frozen
class Presentation:
    """How a kind is shown to people: role wording, family, picturable sizes, priority, labels.

    ``roles`` maps a role to its wording per locale (``""`` is the default wording); a kind
    without a wording for a role is not offered in that role.
    """

    roles: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    family: str = ""
    picturable: tuple[float, float] = (1.0, 100_000.0)
    priority: int = 100
    labels: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def offers(self, role: str) -> bool:
        return any(name == role for name, _ in self.roles)

    def template(self, role: str, locale: str) -> str | None:
        """The wording for ``role`` in ``locale`` (falling back to its language, then default)."""
        for name, texts in self.roles:
            if name == role:
                return _in_locale(texts, locale) or dict(texts).get("")
        return None

    def localized(self, role: str, locale: str) -> str | None:
        """The wording for ``role`` written for ``locale`` or its language; never the default."""
        for name, texts in self.roles:
            if name == role:
                return _in_locale(texts, locale)
        return None

    def has_labels(self, locale: str) -> bool:
        """Whether the pack gives labels for ``locale`` or its language."""
        return self._forms(locale) is not None

    def label(self, locale: str, category: str) -> str | None:
        """A label in ``locale`` for a CLDR plural category, if the pack gives one.

        Labels for the locale itself (``de_CH``) win over those for its language (``de``); a
        category the pack leaves out takes the ``other`` form.
        """
        forms = self._forms(locale)
        if forms is None:
            return None
        table = dict(forms)
        return table.get(category) or table.get("other")

    def _forms(self, locale: str) -> tuple[tuple[str, str], ...] | None:
        exact, language = locale_keys(locale)
        found = {locale_keys(name)[0]: forms for name, forms in self.labels}
        return found.get(exact) or found.get(language)


def locale_keys(locale: str) -> tuple[str, str]:
    """``("de_ch", "de")`` for ``de-CH``: a locale and its language, compared without case."""
    exact = locale.replace("-", "_").lower()
    return exact, exact.split("_")[0]


def _in_locale(texts: tuple[tuple[str, str], ...], locale: str) -> str | None:
    """The text written for ``locale``, else for its language, else None (not the default)."""
    exact, language = locale_keys(locale)
    found = {locale_keys(name)[0]: text for name, text in texts if name}
    return found.get(exact) or found.get(language)


@attrs.frozen
class MetricSpec:
    """A reusable metric declared in a pack: what to show for one source kind."""

    name: str
    title: str
    source_kind: str
    show: tuple[str, ...]
    role: Role
    unit: str | None
    per: str | None
    top: int | None
    location: Location
    pack: str


@attrs.frozen
class IndicatorSpec:
    """An adoption or performance indicator declared in a pack (docs/adoption.md)."""

    name: str
    title: str
    family: Literal["adoption", "performance"]
    measure: Literal["ratio", "rate", "count"]
    numerator: str
    denominator: str | None
    target: float | None
    better: Literal["higher", "lower"]
    kind: str | None
    unit: str | None
    show: tuple[str, ...]
    driven_by: str | None
    location: Location
    pack: str
    #: The title per locale (``(("de", "Aktive Nutzer"), ...)``); the title is the default.
    labels: tuple[tuple[str, str], ...] = ()

    def label_in(self, locale: str) -> str | None:
        """The title written for ``locale`` or its language (``None``: only the default)."""
        return _in_locale(self.labels, locale)


@attrs.frozen
class RewardSpec:
    """A reward rule declared in a pack: "for every ``every``, grant ``grant``"."""

    name: str
    kind: str | None
    every: str
    grant: str
    label_one: str
    label_other: str
    text: str
    note: str
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
    presentation: Presentation = attrs.field(factory=Presentation)
    negative: NegativePolicy = "refuse"
    #: Kinds no path to or from this kind may start at, end at or pass through.
    not_via: tuple[str, ...] = ()
    #: Whether the label is one text for every number (or none was given): no plural form.
    one_form: bool = False

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
    #: The region the figure speaks for ("" for a pack that speaks for no region in particular).
    region: str = ""
    #: Why the figure has no range (a definition, a fixed assumption), when it has none.
    no_range: str = ""


@attrs.frozen
class RegionSpec:
    """A region a pack speaks for with figures of its own: the parameters it sets there.

    In a pack with kinds and rules the entries replace that pack's own parameters; in an
    overlay pack (``extends:``) they replace the parameters of the pack it extends.
    """

    code: str
    name: str
    parameters: tuple[ParameterSpec, ...]
    note: str
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
    #: The region the example is worked for (None: the region its pack is chosen for).
    region: str | None = None


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
    metrics: tuple[MetricSpec, ...] = ()
    rewards: tuple[RewardSpec, ...] = ()
    indicators: tuple[IndicatorSpec, ...] = ()
    #: The region the pack speaks for ("" for everywhere: its figures depend on no place).
    region: str = ""
    #: Packs of one topic are alternatives: an engine holds at most one (plus its overlays).
    topic: str = ""
    #: An overlay names the pack whose parameters its regions set; it has no kinds or rules.
    extends: str = ""
    #: Whether this edition is the one chosen when a caller names none.
    default: bool = False
    #: Other names the edition is known by (earlier labels), loadable like the edition itself.
    edition_aliases: tuple[str, ...] = ()
    #: More specific regions the pack has figures for.
    regions: tuple[RegionSpec, ...] = ()
    ambiguous_units: tuple[AmbiguousUnit, ...] = ()

    def editions(self) -> tuple[str, ...]:
        """The edition and every alias it may be loaded by."""
        return (self.edition, *self.edition_aliases)

    def covers(self) -> tuple[str, ...]:
        """Every region the pack has figures for: its own (if any), then its table's."""
        own = (self.region,) if self.region else ()
        return own + tuple(r.code for r in self.regions if r.code != self.region)
