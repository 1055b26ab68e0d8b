"""Reading where a pack's figures hold: its region, topic, edition names and regional table.

A pack may say which region it speaks for (``region: GB``), which topic it is an alternative
for (``topic: environment``: an engine holds one pack per topic), other names its edition is
known by, whether it is the default edition, and a ``regions:`` table of more specific places
with figures of their own. An overlay (``extends: epa_ghg``) holds only such a table: its
entries replace parameters of the pack it extends. docs/regions.md describes the format;
:mod:`.select` chooses packs for a region.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from equivmetrics._core import regions as _regions
from equivmetrics.exceptions import Location

from .fields import FIELDS
from .fields import describe as _describe
from .model import ParameterSpec, RegionSpec
from .wording import WordingReader
from .yaml import LocatedDict

__all__ = ["RegionReader"]

_ReadParameter = Callable[[str, Any, Location, str], ParameterSpec | None]
#: Sections an overlay may not have: it only sets parameters of the pack it extends.
_NOT_IN_OVERLAY = ("units", "kinds", "parameters", "rules", "metrics", "rewards", "indicators")


class RegionReader(WordingReader):
    """Reads the region fields of a pack (mixed into :class:`~.reader.PackReader`)."""

    region = ""

    def region_code(self, data: LocatedDict, key: str, field: str) -> str:
        """A region code, canonical (``uk`` → ``GB``); ``""`` when absent or unreadable."""
        text = self.text(data, key, field)
        if not text:
            return ""
        try:
            return _regions.normalize(text)
        except ValueError as exc:
            self.problem(self.where(data, key), f"{field}.{key}", str(exc))
            return ""

    def placement(self, top: LocatedDict) -> dict[str, Any]:
        """The pack's ``region``, ``topic``, ``extends``, ``default`` and ``edition_aliases``."""
        self.region = self.region_code(top, "region", "pack")
        topic = self.text(top, "topic", "pack")
        extends = self.text(top, "extends", "pack")
        for key, value in (("topic", topic), ("extends", extends)):
            if value:
                self.name(value, self.where(top, key), f"pack.{key}")
        if extends:
            for key in _NOT_IN_OVERLAY:
                if top.get(key):
                    self.problem(
                        self.where(top, key),
                        f"pack.{key}",
                        f"an overlay (extends: {extends}) cannot declare {key}",
                        f"an overlay only sets parameters of {extends!r} in its 'regions:' "
                        "table; put new kinds, units or rules in a pack of their own",
                    )
            if not top.get("regions"):
                self.problem(
                    self.where(top, "extends"),
                    "pack.regions",
                    "an overlay needs a 'regions:' table",
                    "list each region with the parameters it sets there",
                )
        return {
            "region": self.region,
            "topic": topic,
            "extends": extends,
            "default": self.flag(top, "default", "pack", False),
            "edition_aliases": self.texts(top, "edition_aliases", "pack"),
        }

    def texts(self, data: LocatedDict, key: str, field: str) -> tuple[str, ...]:
        """A list of text (numbers read as text, so ``[2023]`` is the edition ``"2023"``)."""
        value = data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for item in items:
            if isinstance(item, str | int) and not isinstance(item, bool):
                out.append(str(item))
            else:
                self.problem(
                    self.where(data, key),
                    f"{field}.{key}",
                    f"expected a list of text, got {_describe(item)} in it",
                )
        return tuple(out)

    def region_table(self, top: LocatedDict, read: _ReadParameter) -> tuple[RegionSpec, ...]:
        """The ``regions:`` table: each code with its name, note and parameters (each read
        by ``read``, the pack reader's own parameter reader)."""
        if top.get("regions") is None:
            return ()
        table = self.mapping(top["regions"], self.where(top, "regions"), "regions")
        if table is None:
            return ()
        entries: list[RegionSpec] = []
        seen: dict[str, Location] = {}
        for code in table:
            where = self.where(table, code)
            field = f"regions.{code}"
            try:
                canonical = _regions.normalize(str(code))
            except ValueError as exc:
                self.problem(where, field, str(exc))
                continue
            if canonical in seen:
                self.problem(
                    where,
                    field,
                    f"region {canonical!r} is listed twice (first at {seen[canonical]})",
                )
                continue
            seen[canonical] = where
            entry = self.region_entry(canonical, table[code], where, field, read)
            if entry is not None:
                entries.append(entry)
        return tuple(entries)

    def region_entry(
        self, code: str, data: Any, where: Location, field: str, read: _ReadParameter
    ) -> RegionSpec | None:
        entry = self.mapping(data, where, field)
        if entry is None:
            return None
        self.check_keys(entry, FIELDS["region"], field)
        params: list[ParameterSpec] = []
        table = entry.get("parameters")
        if table is None:
            self.problem(where, f"{field}.parameters", "missing required field")
        else:
            mapping = self.mapping(table, self.where(entry, "parameters"), f"{field}.parameters")
            for pname in mapping or {}:
                assert mapping is not None
                spot = self.where(mapping, pname)
                if self.name(pname, spot, f"{field}.parameters.{pname}") is None:
                    continue
                spec = read(pname, mapping[pname], spot, f"{field}.parameters.{pname}")
                self.no_own_region(mapping[pname], code, f"{field}.parameters.{pname}")
                if spec is not None:
                    params.append(attrs.evolve(spec, region=code))
        return RegionSpec(
            code=code,
            name=self.text(entry, "name", field, required=True),
            parameters=tuple(params),
            note=self.text(entry, "note", field),
            location=where,
            pack=self.pack_name,
        )

    def no_own_region(self, data: Any, code: str, field: str) -> None:
        """A parameter of a region entry holds for the entry's region: it names no other."""
        if isinstance(data, LocatedDict) and "region" in data:
            self.problem(
                self.where(data, "region"),
                f"{field}.region",
                f"a parameter of the entry for {code} holds for {code}",
                "drop 'region:' here; a figure of another place belongs under the pack's own "
                "'parameters:', with its region",
            )
