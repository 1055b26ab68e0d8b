"""Warnings about packs: what loads and converts, but will surprise the pack's author.

A warning is not an error: the pack loads and its numbers are right. It names what the author
most likely did not mean, at the field's ``file:line:column``, with what to do:

* a kind reached by rules that no role will ever offer (no ``roles:``, and nothing converts
  from it), or a kind with ``roles:`` that no rule reaches: it never shows up in
  ``feel_good`` or ``action``;
* a label with one form for a kind that is counted ("6,000 minute of data entry saved");
* an ``icon`` that is not in the built-in set (it would be drawn as the default icon);
* a parameter with neither a range (``low``/``high``) nor ``no_range`` saying why it has none
  (results built on it show no range);
* a role's wording that says "about" itself, which the bundled texts leave to the reader
  ("≈" on the command line, the range in the text).

``equivmetrics validate --strict`` (``em.validate(..., strict=True)``) makes warnings errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from equivmetrics._catalog.catalog import Catalog
from equivmetrics._catalog.params import derivation
from equivmetrics._core.money import is_money
from equivmetrics._packs.model import KindSpec, Pack, ParameterSpec
from equivmetrics._present.icons import icon_names
from equivmetrics.exceptions import EquivMetricsError, Problem

__all__ = ["pack_warnings"]

#: Words that make a wording approximate by itself; the library shows that the figure is an
#: equivalent ("≈") and how wide its range is.
_ABOUT = re.compile(r"\b(?:about|approximately|roughly|around|circa|nearly)\b|[~≈]", re.IGNORECASE)


def pack_warnings(packs: Iterable[Pack], catalog: Catalog) -> list[Problem]:
    """The warnings of ``packs`` (read into ``catalog``), in pack order."""
    packs = tuple(packs)
    found: list[Problem] = []
    starts = {rule.source_kind for pack in packs for rule in pack.rules}
    ends = {rule.target_kind for pack in packs for rule in pack.rules}
    parameters = dict.fromkeys(spec.name for pack in packs for spec in pack.parameters)
    for pack in packs:
        for kind in pack.kinds:
            found.extend(_kind_warnings(kind, catalog, starts=starts, ends=ends))
        found.extend(
            _range_warning(spec)
            for spec in pack.parameters
            if spec.low is None
            and not spec.no_range
            and derivation(spec.value, parameters) is None  # a derived range is its inputs'
        )
    return list(dict.fromkeys(found))


def _kind_warnings(
    kind: KindSpec, catalog: Catalog, *, starts: set[str], ends: set[str]
) -> list[Problem]:
    field = f"kinds.{kind.name}"
    found: list[Problem] = []
    roles = kind.presentation.roles
    if not roles and kind.name in ends and kind.name not in starts and not kind.input_units:
        found.append(
            Problem(
                kind.location,
                field,
                "rules lead to this kind, but no role offers it: it never shows up in "
                "feel_good or action",
                "give it roles: {feel_good: '{value} {label}'} (or action:) to offer it",
            )
        )
    built = catalog.kinds.get(kind.name)
    reached = any(target == kind.name for _, target in catalog.paths)
    if roles and built is not None and built.pack == kind.pack and not reached:
        found.append(
            Problem(
                kind.where("roles"),
                f"{field}.roles",
                "no rule leads to this kind, so no role will ever offer it",
                "add a rule whose 'to' is this kind, or a reversible rule from it",
            )
        )
    if kind.one_form and _counted(kind, catalog):
        found.append(
            Problem(
                kind.where("label"),
                f"{field}.label",
                f"the label has one form ({kind.label_one!r}) but amounts of this kind are "
                "counted: '6,000 {label}' would read wrong",
                "give both forms: label: {one: ..., other: ...}",
            )
        )
    if kind.icon and kind.icon not in icon_names():
        found.append(
            Problem(
                kind.where("icon"),
                f"{field}.icon",
                f"no built-in icon is called {kind.icon!r}: the default icon would be drawn",
                f"use one of {', '.join(icon_names())}",
            )
        )
    found.extend(_about_warnings(kind))
    return found


def _counted(kind: KindSpec, catalog: Catalog) -> bool:
    """Whether amounts of ``kind`` are counted (not money, which is not a plural)."""
    try:
        dimension = catalog.units.parse(kind.unit).dimensionality
    except EquivMetricsError:  # a unit of a pack not loaded here: its own region checks it
        return False
    return not is_money(dimension)


def _about_warnings(kind: KindSpec) -> list[Problem]:
    found = []
    for role, texts in kind.presentation.roles:
        for locale, text in texts:
            word = _ABOUT.search(text)
            if word is None:
                continue
            where = f"{role}.{locale}" if locale else role
            found.append(
                Problem(
                    kind.where("roles"),
                    f"kinds.{kind.name}.roles.{where}",
                    f"the wording says {word.group()!r} itself: {text!r}",
                    "leave it out, as the bundled texts do: the figure is shown as an "
                    "equivalent ('≈') with its range",
                )
            )
    return found


def _range_warning(spec: ParameterSpec) -> Problem:
    return Problem(
        spec.location,
        f"parameters.{spec.name}",
        "the parameter has no range, so results built on it show none",
        "give 'low' and 'high' (e.g. the source's interval or the spread of its estimates), "
        "or 'no_range' saying why the figure has none (a definition)",
    )
