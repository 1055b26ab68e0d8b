"""Reading located YAML values into typed fields, collecting every problem with its place.

:class:`FieldReader` is the base of the pack readers: each helper checks one value's shape
(a mapping, text, a flag, a name, a label, a list of names) and, when it is wrong, records a
:class:`~equivmetrics.Problem` with the value's ``file:line:column`` and carries on, so that a
file's problems are reported together. :data:`FIELDS` is the pack format's table of keys.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from typing import Any

from equivmetrics.exceptions import Location, Problem

from .model import Source
from .yaml import LocatedDict, LocatedList

__all__ = ["FIELDS", "IDENT", "FieldReader", "describe"]

#: A name in a pack: packs, kinds, parameters, sources, rule ids, metrics, rewards, icons.
IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

FIELDS: dict[str, tuple[str, ...]] = {
    "pack": (
        "equivmetrics",
        "name",
        "edition",
        "title",
        "description",
        "license",
        "sources",
        "units",
        "ambiguous_units",
        "kinds",
        "parameters",
        "rules",
        "examples",
        "metrics",
        "rewards",
        "indicators",
        "region",
        "topic",
        "extends",
        "default",
        "edition_aliases",
        "regions",
    ),
    "region": ("name", "note", "parameters"),
    "source": ("title", "publisher", "url", "edition", "note"),
    "unit": ("definition", "aliases", "note"),
    "kind": (
        "unit",
        "label",
        "input_units",
        "icon",
        "description",
        "refuse_units",
        "roles",
        "family",
        "picturable",
        "priority",
        "labels",
        "negative",
        "not_via",
    ),
    "parameter": (
        "value",
        "low",
        "high",
        "no_range",
        "source",
        "edition",
        "note",
        "assumption",
        "region",
    ),
    "rule": ("id", "from", "to", "factor", "reversible", "preferred", "note", "source", "sources"),
    "example": (
        "given",
        "to",
        "expect",
        "of",
        "per",
        "tolerance",
        "low",
        "high",
        "params",
        "note",
        "region",
    ),
    "metric": ("name", "title", "from", "show", "role", "unit", "per", "top"),
    "reward": ("name", "kind", "every", "grant", "reward", "text", "note"),
    "indicator": (
        "name",
        "title",
        "family",
        "measure",
        "numerator",
        "denominator",
        "target",
        "better",
        "kind",
        "unit",
        "show",
        "driven_by",
        "labels",
    ),
}


class FieldReader:
    """Shape checks for one file's values; problems collect in :attr:`problems`."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []
        self.pack_name = "?"
        self.sources: dict[str, Source] = {}

    # -- helpers ---------------------------------------------------------------------------------

    def problem(self, where: Location, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, field, message, hint))

    def where(self, mapping: Any, key: str | None = None) -> Location:
        if isinstance(mapping, LocatedDict):
            if key is not None and key in mapping.key_locations:
                return mapping.key_locations[key]
            return mapping.location
        if isinstance(mapping, LocatedList):
            return mapping.location
        return Location(self.origin)

    def mapping(self, value: Any, where: Location, field: str) -> LocatedDict | None:
        if isinstance(value, LocatedDict):
            return value
        self.problem(where, field, f"expected a mapping, got {describe(value)}")
        return None

    def check_keys(self, data: LocatedDict, allowed: Iterable[str], field: str) -> None:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
                self.problem(self.where(data, key), f"{field}.{key}", "unknown field", hint)

    def text(
        self,
        data: LocatedDict,
        key: str,
        field: str,
        *,
        required: bool = False,
        default: str = "",
        allow_number: bool = False,
    ) -> str:
        if key not in data or data[key] is None:
            if required:
                self.problem(self.where(data), f"{field}.{key}", "missing required field")
            return default
        value = data[key]
        if isinstance(value, bool):
            self.problem(
                self.where(data, key),
                f"{field}.{key}",
                f"expected text, got the boolean {str(value).lower()}",
                "quote the value (YAML 1.1 reads yes/no/on/off as booleans)",
            )
            return default
        if allow_number and isinstance(value, float) and not math.isfinite(value):
            self.problem(
                self.where(data, key),
                f"{field}.{key}",
                f"expected a finite number, got {value!r}",
                "factors and values are positive, finite numbers",
            )
            return default
        if allow_number and isinstance(value, int | float):
            return repr(value) if isinstance(value, float) else str(value)
        if not isinstance(value, str):
            self.problem(
                self.where(data, key), f"{field}.{key}", f"expected text, got {describe(value)}"
            )
            return default
        return value

    def flag(self, data: LocatedDict, key: str, field: str, default: bool) -> bool:
        if key not in data or data[key] is None:
            return default
        value = data[key]
        if not isinstance(value, bool):
            self.problem(
                self.where(data, key),
                f"{field}.{key}",
                f"expected true or false, got {describe(value)}",
                "only 'true' and 'false' are booleans in packs",
            )
            return default
        return value

    def name(self, value: Any, where: Location, field: str) -> str | None:
        if not isinstance(value, str) or not IDENT.match(value):
            self.problem(
                where,
                field,
                f"{describe(value)} is not a valid name",
                "names start with a letter and use letters, digits and '_'",
            )
            return None
        return value

    def label(self, data: LocatedDict, key: str, field: str, default: str) -> tuple[str, str]:
        """A label's singular and plural: one text for both, or ``{one: ..., other: ...}``."""
        label = data.get(key)
        if label is None:
            return default, default
        if isinstance(label, str):
            return label, label
        if isinstance(label, LocatedDict):
            self.check_keys(label, ("one", "other"), f"{field}.{key}")
            one = self.text(label, "one", f"{field}.{key}", required=True)
            return one, self.text(label, "other", f"{field}.{key}", default=one)
        self.problem(
            self.where(data, key),
            f"{field}.{key}",
            f"expected text or a mapping with 'one' and 'other', got {describe(label)}",
        )
        return default, default

    def names_list(self, data: LocatedDict, key: str, field: str) -> tuple[str, ...]:
        if key not in data or data[key] is None:
            return ()
        value = data[key]
        if isinstance(value, str):
            return (value,)
        if not isinstance(value, LocatedList) or not all(isinstance(v, str) for v in value):
            self.problem(
                self.where(data, key),
                f"{field}.{key}",
                f"expected a list of text, got {describe(value)}",
            )
            return ()
        return tuple(value)


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    return f"{type(value).__name__} {value!r}"
