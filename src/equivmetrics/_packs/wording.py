"""Wording in packs: how kinds, metrics and rewards are presented, and wording templates.

:class:`WordingReader` adds to :class:`~._fields.FieldReader` the readers for a kind's
presentation (roles and their wording per locale, family, picturable range, priority, labels
per plural category, icon), for ``metrics:`` and for ``rewards:``. Templates take only named
placeholders (``{value}``, ``{label}``, ``{per}``...) and are filled by plain replacement,
never by Python's format machinery.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from equivmetrics.exceptions import Location

from .fields import FIELDS, FieldReader
from .fields import IDENT as _IDENT
from .fields import describe as _describe
from .model import PLACEHOLDERS, ROLES, MetricSpec, Presentation, RewardSpec, Role
from .yaml import LocatedDict

#: Texts by locale (``""`` is the default): a role's wording or a locale's plural forms.
Wording = tuple[tuple[str, str], ...]

__all__ = [
    "PLURAL_CATEGORIES",
    "REWARD_PLACEHOLDERS",
    "WordingReader",
    "fill",
    "template_problem",
]

REWARD_PLACEHOLDERS = ("value", "label", "steps", "every", "rest")
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def template_problem(text: str, allowed: tuple[str, ...] = PLACEHOLDERS) -> str | None:
    """What is wrong with a wording template, or None: only the ``allowed`` placeholders."""
    if len(text) > 500:
        return "wording longer than 500 characters"
    stripped = _PLACEHOLDER.sub("", text)
    if "{" in stripped or "}" in stripped:
        return "unbalanced '{' or '}' in the wording"
    for name in _PLACEHOLDER.findall(text):
        if name not in allowed:
            return f"unknown placeholder {{{name}}} in the wording"
    if "{value}" not in text:
        return "the wording must contain {value}"
    return None


def fill(template: str, **values: str) -> str:
    """Put values into a checked template (plain replacement: no format-string features).

    A placeholder without a value is left out; a value is put in as it is, never read again
    for placeholders.
    """
    parts = _pieces(template)
    if len(parts) == 1:
        return str(template)
    filled = list(parts)
    for index in range(1, len(parts), 2):
        filled[index] = values.get(parts[index], "")
    return "".join(filled)


@functools.lru_cache(maxsize=1024)
def _pieces(template: str) -> tuple[str, ...]:
    """``template`` split into text and placeholder names, alternately (text first and last).

    Templates are a pack's wordings and the message catalogs' texts: a bounded few, each split
    once per process rather than once per sentence.
    """
    return tuple(_PLACEHOLDER.split(template))


class WordingReader(FieldReader):
    """The pack readers for presentation, metrics and rewards."""

    def icon(self, data: LocatedDict, field: str) -> str:
        name = self.text(data, "icon", field)
        if name and not _IDENT.match(name):
            self.problem(
                self.where(data, "icon"),
                f"{field}.icon",
                f"{name!r} is not an icon name",
                "icon names use letters, digits and '_' (see docs/html.md)",
            )
            return ""
        return name

    def presentation(self, key: str, data: LocatedDict, field: str) -> Presentation:
        return Presentation(
            roles=self.roles(data, field),
            family=self.text(data, "family", field) or key,
            picturable=self.picturable(data, field),
            priority=self.priority(data, field),
            labels=self.labels(data, field),
        )

    def roles(self, data: LocatedDict, field: str) -> tuple[tuple[str, Wording], ...]:
        """A kind's ``roles:``: the wording of each role it is offered in."""
        roles: list[tuple[str, Wording]] = []
        table = data.get("roles")
        if table is None:
            return ()
        table = self.mapping(table, self.where(data, "roles"), f"{field}.roles")
        for role, wording in (table or {}).items():
            where = self.where(table, role)
            if role not in ROLES:
                self.problem(
                    where, f"{field}.roles.{role}", "unknown role", f"roles are {', '.join(ROLES)}"
                )
                continue
            texts = self.wording(wording, where, f"{field}.roles.{role}")
            if texts:
                roles.append((role, texts))
        return tuple(roles)

    def labels(self, data: LocatedDict, field: str) -> tuple[tuple[str, Wording], ...]:
        """A kind's ``labels:``: per locale, the label in each CLDR plural form."""
        labels: list[tuple[str, Wording]] = []
        table = data.get("labels")
        if table is None:
            return ()
        table = self.mapping(table, self.where(data, "labels"), f"{field}.labels")
        for locale, forms in (table or {}).items():
            where = self.where(table, locale)
            forms_map = self.mapping(forms, where, f"{field}.labels.{locale}")
            if forms_map is None:
                continue
            self.check_keys(forms_map, PLURAL_CATEGORIES, f"{field}.labels.{locale}")
            if "other" not in forms_map:
                self.problem(
                    where,
                    f"{field}.labels.{locale}",
                    "missing the 'other' form",
                    "every locale needs 'other'",
                )
            forms_text = tuple(
                (category, self.text(forms_map, category, f"{field}.labels.{locale}"))
                for category in forms_map
                if category in PLURAL_CATEGORIES
            )
            labels.append((locale, forms_text))
        return tuple(labels)

    def picturable(self, data: LocatedDict, field: str) -> tuple[float, float]:
        """The sizes a person can picture (default 1 to 100,000)."""
        value = data.get("picturable")
        if value is None:
            return (1.0, 100_000.0)
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            and 0 < value[0] < value[1]
        ):
            return (float(value[0]), float(value[1]))
        self.problem(
            self.where(data, "picturable"),
            f"{field}.picturable",
            f"expected [smallest, largest] positive numbers, got {_describe(value)}",
            "e.g. picturable: [1, 10000]",
        )
        return (1.0, 100_000.0)

    def priority(self, data: LocatedDict, field: str) -> int:
        """Lower is offered first (default 100)."""
        priority = data.get("priority", 100)
        if isinstance(priority, int) and not isinstance(priority, bool):
            return priority
        self.problem(
            self.where(data, "priority"),
            f"{field}.priority",
            f"expected a whole number, got {_describe(priority)}",
            "lower numbers are offered first; the default is 100",
        )
        return 100

    def wording(self, value: Any, where: Location, field: str) -> tuple[tuple[str, str], ...]:
        """A role's wording: one text, or a mapping of locale to text (``default`` allowed)."""
        pairs: list[tuple[str, Any]]
        if isinstance(value, str):
            pairs = [("", value)]
        elif isinstance(value, LocatedDict):
            pairs = [("" if k == "default" else k, v) for k, v in value.items()]
        else:
            self.problem(
                where,
                field,
                f"expected text or a mapping of locale to text, got {_describe(value)}",
            )
            return ()
        good = []
        for locale, text in pairs:
            if not isinstance(text, str):
                self.problem(where, field, f"expected text, got {_describe(text)}")
                continue
            bad = template_problem(text)
            if bad:
                self.problem(
                    where,
                    field,
                    bad,
                    f"placeholders are {', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
                )
                continue
            good.append((locale, text))
        return tuple(good)

    def reward(self, entry: Any, where: Location, field: str) -> RewardSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["reward"], field)
        name = self.text(data, "name", field, required=True)
        if name and not _IDENT.match(name):
            self.problem(self.where(data, "name"), f"{field}.name", f"{name!r} is not a valid name")
        every = self.text(data, "every", field, required=True)
        grant = self.text(data, "grant", field, required=True)
        one, other = self.label(data, "reward", field, "reward")
        text = self.text(data, "text", field)
        if text:
            bad = template_problem(text, REWARD_PLACEHOLDERS)
            if bad:
                self.problem(
                    self.where(data, "text"),
                    f"{field}.text",
                    bad,
                    "placeholders are {value}, {label}, {steps}, {every}, {rest}",
                )
        if not (name and every and grant):
            return None
        return RewardSpec(
            name=name,
            kind=self.text(data, "kind", field) or None,
            every=every,
            grant=grant,
            label_one=one,
            label_other=other,
            text=text,
            note=self.text(data, "note", field),
            location=where,
            pack=self.pack_name,
        )

    def metric(self, entry: Any, where: Location, field: str) -> MetricSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["metric"], field)
        name = self.text(data, "name", field, required=True)
        if name and not _IDENT.match(name):
            self.problem(self.where(data, "name"), f"{field}.name", f"{name!r} is not a valid name")
        source = self.text(data, "from", field, required=True)
        role_text = self.text(data, "role", field, default="feel_good")
        role: Role = "feel_good"
        for known in ROLES:
            if role_text == known:
                role = known
        if role_text not in ROLES:
            self.problem(
                self.where(data, "role"),
                f"{field}.role",
                f"unknown role {role_text!r}",
                f"roles are {', '.join(ROLES)}",
            )
        top = data.get("top")
        if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
            self.problem(
                self.where(data, "top"),
                f"{field}.top",
                f"expected a whole number of at least 1, got {_describe(top)}",
            )
            top = None
        if not (name and source):
            return None
        return MetricSpec(
            name=name,
            title=self.text(data, "title", field, default=name.replace("_", " ")),
            source_kind=source,
            show=self.names_list(data, "show", field),
            role=role,
            unit=self.text(data, "unit", field) or None,
            per=self.text(data, "per", field) or None,
            top=top,
            location=where,
            pack=self.pack_name,
        )
