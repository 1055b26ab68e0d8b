"""Reading one pack's sections into frozen records, every problem collected with its place.

:class:`PackReader` walks the YAML a pack file holds — units, kinds, parameters, rules,
examples, sources, and through :class:`~.wording.WordingReader` the presentation, metrics and
rewards — checking each field's shape. Meaning across packs (units, dimensions, the rule graph)
is the catalog's to check.
"""

from __future__ import annotations

import difflib
from typing import Any

from equivmetrics._core.negative import DEFAULT as DEFAULT_NEGATIVE
from equivmetrics._core.negative import POLICIES as NEGATIVE_POLICIES
from equivmetrics._core.negative import NegativePolicy
from equivmetrics.exceptions import Location

from .fields import FIELDS
from .fields import IDENT as _IDENT
from .fields import describe as _describe
from .indicators import read_indicator
from .model import (
    AmbiguousUnit,
    Example,
    IndicatorSpec,
    KindSpec,
    Pack,
    ParameterSpec,
    RuleSpec,
    Source,
    UnitSpec,
)
from .region_reader import RegionReader
from .yaml import LocatedDict, LocatedList

__all__ = ["FORMAT_VERSION", "PackReader"]

#: The pack format version a pack declares in its ``equivmetrics:`` field.
FORMAT_VERSION = 1


class PackReader(RegionReader):
    """Reads one pack file's sections into :mod:`.model` records."""

    # -- sections --------------------------------------------------------------------------------

    def pack(self, data: Any) -> Pack | None:
        top = self.mapping(data, Location(self.origin, 1, 1), "pack")
        if top is None:
            return None
        self.check_keys(top, FIELDS["pack"], "pack")
        version = top.get("equivmetrics")
        if version != FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                self.where(top, "equivmetrics") if "equivmetrics" in top else top.location,
                "equivmetrics",
                f"format version must be {FORMAT_VERSION}, got {_describe(version)}",
                f"start the pack with 'equivmetrics: {FORMAT_VERSION}'",
            )
        name = self.text(top, "name", "pack", required=True)
        if name and not _IDENT.match(name):
            self.problem(self.where(top, "name"), "pack.name", f"{name!r} is not a valid name")
        self.pack_name = name or self.origin
        edition = self.text(top, "edition", "pack", required=True, allow_number=True)
        placement = self.placement(top)
        self.sources = self.section(top, "sources", self.source)
        units = self.section(top, "units", self.unit)
        kinds = self.section(top, "kinds", self.kind)
        params = self.section(top, "parameters", self.parameter)
        rules = self.list_section(top, "rules", self.rule)
        examples = self.list_section(top, "examples", self.example)
        metrics = self.list_section(top, "metrics", self.metric)
        rewards = self.list_section(top, "rewards", self.reward)
        indicators = self.list_section(top, "indicators", self.indicator)
        return Pack(
            name=name,
            edition=edition,
            title=self.text(top, "title", "pack", default=name),
            description=self.text(top, "description", "pack"),
            license=self.text(top, "license", "pack", required=True),
            origin=self.origin,
            sources=tuple(self.sources.values()),
            units=tuple(units.values()),
            kinds=tuple(kinds.values()),
            parameters=tuple(params.values()),
            rules=tuple(rules),
            examples=tuple(examples),
            metrics=tuple(metrics),
            rewards=tuple(rewards),
            indicators=tuple(indicators),
            regions=self.region_table(top, self.parameter),
            **placement,
            ambiguous_units=self.ambiguous_units(top),
        )

    def indicator(self, entry: Any, where: Location, field: str) -> IndicatorSpec | None:
        return read_indicator(self, entry, where, field, FIELDS["indicator"])

    def ambiguous_units(self, top: LocatedDict) -> tuple[AmbiguousUnit, ...]:
        """``ambiguous_units:``: unit name -> why an amount in it needs ``of=`` (required)."""
        field = "ambiguous_units"
        if top.get(field) is None:
            return ()
        table = self.mapping(top[field], self.where(top, field), field)
        found = []
        for unit in table if table is not None else {}:
            assert table is not None
            reason = self.text(table, unit, field, required=True)
            if reason:
                found.append(
                    AmbiguousUnit(str(unit), reason, self.where(table, unit), self.pack_name)
                )
        return tuple(found)

    def section(self, top: LocatedDict, key: str, build: Any) -> dict[str, Any]:
        if key not in top or top[key] is None:
            return {}
        data = self.mapping(top[key], self.where(top, key), key)
        if data is None:
            return {}
        built: dict[str, Any] = {}
        for entry_name, entry in data.items():
            where = self.where(data, entry_name)
            if self.name(entry_name, where, f"{key}.{entry_name}") is None:
                continue
            item = build(entry_name, entry, where, f"{key}.{entry_name}")
            if item is not None:
                built[entry_name] = item
        return built

    def list_section(self, top: LocatedDict, key: str, build: Any) -> list[Any]:
        if key not in top or top[key] is None:
            return []
        value = top[key]
        if not isinstance(value, LocatedList):
            self.problem(self.where(top, key), key, f"expected a list, got {_describe(value)}")
            return []
        built = []
        for index, (entry, where) in enumerate(zip(value, value.item_locations, strict=True)):
            item = build(entry, where, f"{key}[{index}]")
            if item is not None:
                built.append(item)
        return built

    def source(self, key: str, entry: Any, where: Location, field: str) -> Source | None:
        if isinstance(entry, str):
            return Source(key=key, title=entry)
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["source"], field)
        return Source(
            key=key,
            title=self.text(data, "title", field, required=True),
            publisher=self.text(data, "publisher", field),
            url=self.text(data, "url", field),
            edition=self.text(data, "edition", field, allow_number=True),
            note=self.text(data, "note", field),
        )

    def cite(self, data: LocatedDict, key: str, field: str, *, required: bool) -> Source | None:
        ref = self.text(data, key, field, required=required)
        if not ref:
            return None
        if ref not in self.sources:
            close = difflib.get_close_matches(ref, list(self.sources), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "add it under 'sources:'"
            self.problem(self.where(data, key), f"{field}.{key}", f"unknown source {ref!r}", hint)
            return None
        return self.sources[ref]

    def unit(self, key: str, entry: Any, where: Location, field: str) -> UnitSpec | None:
        if isinstance(entry, str | int | float) and not isinstance(entry, bool):
            return UnitSpec(key, str(entry), (), where, self.pack_name)
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["unit"], field)
        definition = self.text(data, "definition", field, required=True, allow_number=True)
        aliases = self.names_list(data, "aliases", field)
        for alias in aliases:
            self.name(alias, self.where(data, "aliases"), f"{field}.aliases")
        return UnitSpec(key, definition, aliases, where, self.pack_name) if definition else None

    def kind(self, key: str, entry: Any, where: Location, field: str) -> KindSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["kind"], field)
        unit = self.text(data, "unit", field, required=True)
        one, other = self.label(data, "label", field, key.replace("_", " "))
        refuse: list[tuple[str, str]] = []
        if data.get("refuse_units") is not None:
            table = self.mapping(
                data["refuse_units"], self.where(data, "refuse_units"), f"{field}.refuse_units"
            )
            for unit_name in table if table is not None else {}:
                assert table is not None
                reason = self.text(table, unit_name, f"{field}.refuse_units", required=True)
                refuse.append((unit_name, reason))
        return KindSpec(
            name=key,
            unit=unit,
            label_one=one,
            label_other=other,
            input_units=self.names_list(data, "input_units", field),
            icon=self.icon(data, field),
            description=self.text(data, "description", field),
            location=where,
            pack=self.pack_name,
            refuse_units=tuple(refuse),
            field_locations=tuple(
                (name, data.key_locations[name])
                for name in ("unit", "input_units", "refuse_units", "not_via")
                if name in data.key_locations
            ),
            presentation=self.presentation(key, data, field),
            negative=self.negative(data, field),
            not_via=tuple(
                name
                for name in self.names_list(data, "not_via", field)
                if self.name(name, self.where(data, "not_via"), f"{field}.not_via")
            ),
        )

    def negative(self, data: LocatedDict, field: str) -> NegativePolicy:
        value = data.get("negative", DEFAULT_NEGATIVE)
        for policy in NEGATIVE_POLICIES:
            if value == policy:
                return policy
        self.problem(
            self.where(data, "negative"),
            f"{field}.negative",
            f"expected one of {', '.join(NEGATIVE_POLICIES)}, got {_describe(value)}",
            "refuse: a negative amount is an error; nan: it reads as missing; "
            "allow: it is meaningful (a net change)",
        )
        return DEFAULT_NEGATIVE

    def parameter(self, key: str, entry: Any, where: Location, field: str) -> ParameterSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["parameter"], field)
        value = self.text(data, "value", field, required=True, allow_number=True)
        low = self.text(data, "low", field, allow_number=True) or None
        high = self.text(data, "high", field, allow_number=True) or None
        if (low is None) != (high is None):
            self.problem(where, field, "give both 'low' and 'high', or neither")
        source = self.cite(data, "source", field, required=True)
        if not value or source is None:
            return None
        return ParameterSpec(
            name=key,
            value=value,
            low=low,
            high=high,
            source=source,
            edition=self.text(data, "edition", field, allow_number=True) or source.edition,
            note=self.text(data, "note", field),
            assumption=self.flag(data, "assumption", field, False),
            location=where,
            pack=self.pack_name,
            # a figure of another place than the pack's (U.S. wage data in a pack for
            # everywhere) says so itself
            region=self.region_code(data, "region", field) or self.region,
        )

    def rule(self, entry: Any, where: Location, field: str) -> RuleSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["rule"], field)
        source_kind = self.text(data, "from", field, required=True)
        target_kind = self.text(data, "to", field, required=True)
        factor = self.text(data, "factor", field, required=True, allow_number=True)
        rule_id = self.text(data, "id", field) or f"{source_kind}_to_{target_kind}"
        sources = [s for s in (self.cite(data, "source", field, required=False),) if s]
        for ref in self.names_list(data, "sources", field):
            if ref in self.sources:
                sources.append(self.sources[ref])
            else:
                self.problem(
                    self.where(data, "sources"),
                    f"{field}.sources",
                    f"unknown source {ref!r}",
                    "add it under 'sources:'",
                )
        if source_kind and source_kind == target_kind:
            self.problem(
                where,
                field,
                f"rule goes from {source_kind!r} to itself",
                "a rule must move a quantity from one kind to another",
            )
        if not (source_kind and target_kind and factor):
            return None
        return RuleSpec(
            id=rule_id,
            source_kind=source_kind,
            target_kind=target_kind,
            factor=factor,
            reversible=self.flag(data, "reversible", field, True),
            preferred=self.flag(data, "preferred", field, False),
            note=self.text(data, "note", field),
            sources=tuple(sources),
            location=where,
            factor_location=self.where(data, "factor"),
            pack=self.pack_name,
        )

    def example(self, entry: Any, where: Location, field: str) -> Example | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["example"], field)
        tolerance = data.get("tolerance", 0.005)
        if (
            not isinstance(tolerance, int | float)
            or isinstance(tolerance, bool)
            or not (0 < tolerance < 1)
        ):
            self.problem(
                self.where(data, "tolerance"),
                f"{field}.tolerance",
                f"expected a relative tolerance between 0 and 1, got {_describe(tolerance)}",
            )
            tolerance = 0.005
        params: list[tuple[str, str]] = []
        if data.get("params") is not None:
            table = self.mapping(data["params"], self.where(data, "params"), f"{field}.params")
            for pname in table if table is not None else {}:
                assert table is not None
                params.append(
                    (
                        pname,
                        self.text(
                            table, pname, f"{field}.params", required=True, allow_number=True
                        ),
                    )
                )
        given = self.text(data, "given", field, required=True)
        to = self.text(data, "to", field, required=True)
        expect = self.text(data, "expect", field, required=True)
        if not (given and to and expect):
            return None
        return Example(
            given=given,
            to=to,
            expect=expect,
            of=self.text(data, "of", field) or None,
            per=self.text(data, "per", field) or None,
            tolerance=float(tolerance),
            low=self.text(data, "low", field) or None,
            high=self.text(data, "high", field) or None,
            params=tuple(params),
            note=self.text(data, "note", field),
            location=where,
            pack=self.pack_name,
            region=self.region_code(data, "region", field) or None,
        )
