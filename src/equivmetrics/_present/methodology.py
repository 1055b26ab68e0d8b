"""A Markdown methodology page generated from the packs: every factor, derivation and source.

``docs/methodology.md`` is this function's output for the bundled packs, and a test keeps the
two identical, so the page can never drift from the data. ``equivmetrics methodology`` prints it
for any set of packs.
"""

from __future__ import annotations

import functools

from equivmetrics._catalog.catalog import Catalog
from equivmetrics._catalog.regional import regional_catalog
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.unit_text import format_unit
from equivmetrics._engine.core import Converts
from equivmetrics._packs.model import ROLES, Pack, Source
from equivmetrics._packs.select import available_regions

from .messages import Messages
from .messages import catalog as catalog_of_words

__all__ = ["render_methodology"]


def render_methodology(engine: Converts, *, locale: str = "en") -> str:
    """Markdown describing every pack of ``engine``: sources, kinds, parameters, rules, examples.

    With ``locale`` the page's own words (headings, table headers, the introductions) and the
    kinds' labels are in that language where the library and the packs have them; the packs'
    descriptions, notes and citations are quoted in English, as the packs give them, and the
    page says so. A language without a catalog gets English throughout.

    >>> import equivmetrics as em
    >>> page = render_methodology(em.load())
    >>> "| `paid_hours_per_fte_year` | 2080 hour/FTE/year | exact |" in page
    True
    >>> "| `hours_worked_per_fte_year` | `paid_hours_per_fte_year / (1 + " in page
    True
    """
    w = catalog_of_words(locale) or catalog_of_words("en")
    assert w is not None  # the English catalog ships with the package
    lines = [
        w.text("methodology.title"),
        "",
        "<!-- Generated from the bundled packs by `equivmetrics methodology`; a test checks that",
        "     this file matches the packs. Edit the packs in conversions/, then regenerate. -->",
        "",
        w.text("methodology.intro"),
        "",
    ]
    if w.text("methodology.quoted"):
        lines += [w.text("methodology.quoted"), ""]
    catalog = engine.catalog
    lines.extend(_regions(catalog, w))
    chosen = {p.name: p for p in catalog.packs}
    for pack in catalog.available or catalog.packs:
        mine = chosen.get(pack.name)
        same = mine is not None and mine.parameters == pack.parameters
        lines.extend(_pack(catalog if same else _catalog_of(catalog, pack), pack, w, locale))
    return "\n".join(lines).rstrip() + "\n"


def _catalog_of(catalog: Catalog, pack: Pack) -> Catalog:
    """A catalog holding ``pack``: its packs chosen for the pack's own region and edition."""
    if not (pack.rules and (pack.region or pack.regions or pack.topic)):
        return catalog  # an overlay, or a pack without rules: nothing to evaluate
    region = pack.region or (pack.regions[0].code if pack.regions else None)
    return regional_catalog(catalog.available, region=region, edition=pack.edition)


def _regions(catalog: Catalog, w: Messages) -> list[str]:
    infos = available_regions(catalog.available or catalog.packs)
    if not infos:
        return []
    out = [
        w.text("methodology.regions"),
        "",
        w.text("methodology.regions_intro"),
        "",
        w.text("methodology.regions_header"),
        "|---|---|---|",
    ]
    for info in infos:
        editions = ", ".join(f"{edition} (`{pack}`)" for _, edition, pack in info.editions)
        out.append(f"| `{info.code}` | {_cell(info.name)} | {_cell(editions)} |")
    return [*out, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _cite(source: Source) -> str:
    text = _cell(source.cite())
    return f"[{text}]({source.url})" if source.url else text


def _pack(catalog: Catalog, pack: Pack, w: Messages, locale: str) -> list[str]:
    t = functools.partial(_word, w)
    where = f", {t('region')} {pack.region}" if pack.region else ""
    where += f", {t('overlay')} `{pack.extends}`" if pack.extends else ""
    aliases = ", ".join(pack.edition_aliases)
    where += f"; {t('aliases')} {aliases}" if aliases else ""
    out = [
        f"## {pack.title} (`{pack.name}`, {t('edition')} {pack.edition}{where})",
        "",
        _cell(pack.description) if pack.description else "",
        "",
        f"{t('licence')} {_cell(pack.license)}",
        "",
        t("sources"),
        "",
    ]
    for source in pack.sources:
        line = f"- `{source.key}`: {_cite(source)}"
        if source.note:
            line += f". {_cell(source.note)}"
        out.append(line)
    out += ["", t("kinds"), "", t("kinds_header"), "|---|---|---|---|"]
    for kind in pack.kinds:
        label = kind.presentation.label(locale, "other") or kind.label_other
        out.append(f"| `{kind.name}` | {kind.unit} | {_cell(label)} | {_cell(kind.description)} |")
    out += _wording(pack, w) + _parameters(catalog, pack, w) + _table(pack, w)
    out += _rules(catalog, pack, w) + _examples(pack, w)
    out.append("")
    return out


def _word(w: Messages, key: str) -> str:
    return w.text(f"methodology.{key}")


def _table(pack: Pack, w: Messages) -> list[str]:
    rows = [(entry, spec) for entry in pack.regions for spec in entry.parameters]
    if not rows:
        return []
    out = [
        "",
        _word(w, "by_region"),
        "",
        _word(w, "by_region_header"),
        "|---|---|---|---|---|---|",
    ]
    for entry, spec in rows:
        rng = f"{spec.low} – {spec.high}" if spec.low is not None else _word(w, "exact")
        out.append(
            f"| `{entry.code}` {_cell(entry.name)} | `{spec.name}` | {spec.value} | {rng} | "
            f"{_cite(spec.source)} | {_cell(spec.note)} |"
        )
    return out


def _wording(pack: Pack, w: Messages) -> list[str]:
    """Each offered kind's default wording per role: it says what the equivalent compares."""
    offered = [kind for kind in pack.kinds if kind.presentation.roles]
    if not offered:
        return []
    out = [
        "",
        _word(w, "offered"),
        "",
        _word(w, "offered_intro"),
        "",
        _word(w, "offered_header"),
        "|---|---|---|",
    ]
    for kind in offered:
        cells = [kind.presentation.template(role, "") for role in ROLES]
        shown = [f"`{_cell(text)}`" if text else "—" for text in cells]
        out.append(f"| `{kind.name}` | {' | '.join(shown)} |")
    return out


def _parameters(catalog: Catalog, pack: Pack, w: Messages) -> list[str]:
    if not pack.parameters:
        return []
    out = [
        "",
        _word(w, "parameters"),
        "",
        _word(w, "parameters_intro"),
        "",
        _word(w, "parameters_header"),
        "|---|---|---|---|---|",
    ]
    for spec in pack.parameters:
        rng = f"{spec.low} – {spec.high}" if spec.low is not None else _word(w, "exact")
        value = spec.value
        param = catalog.parameters.get(spec.name)
        if param is not None and param.expr is not None and param.spec.pack == pack.name:
            derived = param.value
            unit = format_unit(derived.unit)
            value = f"`{_cell(spec.value)}` = {derived.central:,.6g} {unit}".rstrip()
            if derived.low != derived.high:
                rng = f"{derived.low:,.6g} – {derived.high:,.6g} {unit}".rstrip()
        note = _cell(spec.note)
        if spec.assumption:
            note = _word(w, "assumption") + " " + note
        edition = (
            f", {_word(w, 'edition')} {spec.edition}" if spec.edition != spec.source.edition else ""
        )
        out.append(f"| `{spec.name}` | {value} | {rng} | {_cite(spec.source)}{edition} | {note} |")
    return out


def _rules(catalog: Catalog, pack: Pack, w: Messages) -> list[str]:
    if not pack.rules:
        return []
    out = ["", _word(w, "rules"), "", _word(w, "rules_header"), "|---|---|---|---|---|"]
    for rule in pack.rules:
        value = catalog.default_factors[rule.id]
        unit = format_unit(value.unit)
        exact = _word(w, "exact")
        rng = f"{_num(value.low)} – {_num(value.high)}" if value.low != value.high else exact
        note = f" {_cell(rule.note)}" if rule.note else ""
        arrow = "↔" if rule.reversible else "→"
        out.append(
            f"| `{rule.id}` | `{rule.source_kind}` {arrow} `{rule.target_kind}` | "
            f"`{_cell(rule.factor)}`{note} | {_num(value.central)} {unit} | {rng} |"
        )
    return out


def _examples(pack: Pack, w: Messages) -> list[str]:
    if not pack.examples:
        return []
    t = functools.partial(_word, w)
    out = ["", t("examples"), "", t("examples_header"), "|---|---|---|---|"]
    for example in pack.examples:
        given = example.given + (f" ({t('of')} {example.of})" if example.of else "")
        given += f" {t('within')} {example.region}" if example.region else ""
        given += f" {t('per')} {example.per}" if example.per else ""
        if example.params:
            given += f" {t('using')} " + ", ".join(f"{k} = {v}" for k, v in example.params)
        out.append(
            f"| {_cell(given)} | `{example.to}` | {example.expect} | {_cell(example.note)} |"
        )
    return out
