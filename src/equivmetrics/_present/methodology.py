"""A Markdown methodology page generated from the packs: every factor, derivation and source.

``docs/methodology.md`` is this function's output for the bundled packs, and a test keeps the
two identical, so the page can never drift from the data. ``equivmetrics methodology`` prints it
for any set of packs.
"""

from __future__ import annotations

from equivmetrics._catalog.catalog import Catalog
from equivmetrics._catalog.regional import regional_catalog
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.unit_text import format_unit
from equivmetrics._engine.core import Converts
from equivmetrics._packs.model import ROLES, Pack, Source
from equivmetrics._packs.select import available_regions

__all__ = ["render_methodology"]


def render_methodology(engine: Converts) -> str:
    """Markdown describing every pack of ``engine``: sources, kinds, parameters, rules, examples.

    >>> import equivmetrics as em
    >>> page = render_methodology(em.load())
    >>> "| `paid_hours_per_fte_year` | 2080 hour/FTE/year | exact |" in page
    True
    >>> "| `hours_worked_per_fte_year` | `paid_hours_per_fte_year / (1 + " in page
    True
    """
    lines = [
        "# Methodology",
        "",
        "<!-- Generated from the bundled packs by `equivmetrics methodology`; a test checks that",
        "     this file matches the packs. Edit the packs in conversions/, then regenerate. -->",
        "",
        "Every equivalent the bundled packs produce is derived here from named, cited",
        "parameters. Factors are shown as the pack writes them and as evaluated (central value",
        "and range, from the parameters' ranges by interval arithmetic).",
        "",
    ]
    catalog = engine.catalog
    lines.extend(_regions(catalog))
    chosen = {p.name: p for p in catalog.packs}
    for pack in catalog.available or catalog.packs:
        mine = chosen.get(pack.name)
        same = mine is not None and mine.parameters == pack.parameters
        lines.extend(_pack(catalog if same else _catalog_of(catalog, pack), pack))
    return "\n".join(lines).rstrip() + "\n"


def _catalog_of(catalog: Catalog, pack: Pack) -> Catalog:
    """A catalog holding ``pack``: its packs chosen for the pack's own region and edition."""
    if not (pack.rules and (pack.region or pack.regions or pack.topic)):
        return catalog  # an overlay, or a pack without rules: nothing to evaluate
    region = pack.region or (pack.regions[0].code if pack.regions else None)
    return regional_catalog(catalog.available, region=region, edition=pack.edition)


def _regions(catalog: Catalog) -> list[str]:
    infos = available_regions(catalog.available or catalog.packs)
    if not infos:
        return []
    out = [
        "## Regions and editions",
        "",
        "Load the packs for a place with `em.load(region=..., edition=...)` (docs/regions.md).",
        "Without a region an engine speaks for the United States with each topic's default",
        "edition. A region's figures come from the most specific pack that has them.",
        "",
        "| region | name | editions (pack) |",
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


def _pack(catalog: Catalog, pack: Pack) -> list[str]:
    where = f", region {pack.region}" if pack.region else ""
    where += f", overlay of `{pack.extends}`" if pack.extends else ""
    aliases = ", ".join(pack.edition_aliases)
    where += f"; also loads as edition {aliases}" if aliases else ""
    out = [
        f"## {pack.title} (`{pack.name}`, edition {pack.edition}{where})",
        "",
        _cell(pack.description) if pack.description else "",
        "",
        f"Licence and terms: {_cell(pack.license)}",
        "",
        "### Sources",
        "",
    ]
    for source in pack.sources:
        line = f"- `{source.key}`: {_cite(source)}"
        if source.note:
            line += f". {_cell(source.note)}"
        out.append(line)
    out += [
        "",
        "### Kinds",
        "",
        "| kind | display unit | label | description |",
        "|---|---|---|---|",
    ]
    for kind in pack.kinds:
        out.append(
            f"| `{kind.name}` | {kind.unit} | {_cell(kind.label_other)} | "
            f"{_cell(kind.description)} |"
        )
    out += _wording(pack) + _parameters(catalog, pack) + _table(pack)
    out += _rules(catalog, pack) + _examples(pack)
    out.append("")
    return out


def _table(pack: Pack) -> list[str]:
    rows = [(entry, spec) for entry in pack.regions for spec in entry.parameters]
    if not rows:
        return []
    out = [
        "",
        "### Figures by region",
        "",
        "| region | parameter | value | range | source | note |",
        "|---|---|---|---|---|---|",
    ]
    for entry, spec in rows:
        rng = f"{spec.low} – {spec.high}" if spec.low is not None else "exact"
        out.append(
            f"| `{entry.code}` {_cell(entry.name)} | `{spec.name}` | {spec.value} | {rng} | "
            f"{_cite(spec.source)} | {_cell(spec.note)} |"
        )
    return out


def _wording(pack: Pack) -> list[str]:
    """Each offered kind's default wording per role: it says what the equivalent compares."""
    offered = [kind for kind in pack.kinds if kind.presentation.roles]
    if not offered:
        return []
    out = [
        "",
        "### Equivalents offered",
        "",
        "How each kind reads when it is offered, in English; the wording says what it compares.",
        "",
        "| kind | feel-good | action |",
        "|---|---|---|",
    ]
    for kind in offered:
        cells = [kind.presentation.template(role, "") for role in ROLES]
        shown = [f"`{_cell(text)}`" if text else "—" for text in cells]
        out.append(f"| `{kind.name}` | {' | '.join(shown)} |")
    return out


def _parameters(catalog: Catalog, pack: Pack) -> list[str]:
    if not pack.parameters:
        return []
    out = [
        "",
        "### Parameters",
        "",
        "A value that names other parameters is derived from them; its range follows from theirs.",
        "",
        "| parameter | value | range | source | note |",
        "|---|---|---|---|---|",
    ]
    for spec in pack.parameters:
        rng = f"{spec.low} – {spec.high}" if spec.low is not None else "exact"
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
            note = "**Assumption** — override with your own figure. " + note
        edition = f", edition {spec.edition}" if spec.edition != spec.source.edition else ""
        out.append(f"| `{spec.name}` | {value} | {rng} | {_cite(spec.source)}{edition} | {note} |")
    return out


def _rules(catalog: Catalog, pack: Pack) -> list[str]:
    if not pack.rules:
        return []
    out = [
        "",
        "### Rules",
        "",
        "| rule | from → to | factor | evaluated | range |",
        "|---|---|---|---|---|",
    ]
    for rule in pack.rules:
        value = catalog.default_factors[rule.id]
        unit = format_unit(value.unit)
        rng = f"{_num(value.low)} – {_num(value.high)}" if value.low != value.high else "exact"
        note = f" {_cell(rule.note)}" if rule.note else ""
        arrow = "↔" if rule.reversible else "→"
        out.append(
            f"| `{rule.id}` | `{rule.source_kind}` {arrow} `{rule.target_kind}` | "
            f"`{_cell(rule.factor)}`{note} | {_num(value.central)} {unit} | {rng} |"
        )
    return out


def _examples(pack: Pack) -> list[str]:
    if not pack.examples:
        return []
    out = [
        "",
        "### Worked examples (checked by `equivmetrics validate`)",
        "",
        "| given | to | expected | note |",
        "|---|---|---|---|",
    ]
    for example in pack.examples:
        given = example.given + (f" (of {example.of})" if example.of else "")
        given += f" in {example.region}" if example.region else ""
        given += f" per {example.per}" if example.per else ""
        if example.params:
            given += " with " + ", ".join(f"{k} = {v}" for k, v in example.params)
        out.append(
            f"| {_cell(given)} | `{example.to}` | {example.expect} | {_cell(example.note)} |"
        )
    return out
