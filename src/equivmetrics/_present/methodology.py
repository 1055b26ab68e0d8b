"""A Markdown methodology page generated from the packs: every factor, derivation and source.

``docs/methodology.md`` is this function's output for the bundled packs, and a test keeps the
two identical, so the page can never drift from the data. ``equivmetrics methodology`` prints it
for any set of packs.
"""

from __future__ import annotations

from equivmetrics._catalog.catalog import Catalog
from equivmetrics._core.numbers import num as _num
from equivmetrics._core.unit_text import format_unit
from equivmetrics._engine.core import Converts
from equivmetrics._packs.model import Pack, Source

__all__ = ["render_methodology"]


def render_methodology(engine: Converts) -> str:
    """Markdown describing every pack of ``engine``: sources, kinds, parameters, rules, examples.

    >>> import equivmetrics as em
    >>> page = render_methodology(em.load())
    >>> "| `hours_per_fte_year` | 2080 hour/FTE/year | 1720 hour/FTE/year \u2013 2087" in page
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
    for pack in engine.catalog.packs:
        lines.extend(_pack(engine, pack))
    return "\n".join(lines).rstrip() + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _cite(source: Source) -> str:
    text = _cell(source.cite())
    return f"[{text}]({source.url})" if source.url else text


def _pack(engine: Converts, pack: Pack) -> list[str]:
    out = [
        f"## {pack.title} (`{pack.name}`, edition {pack.edition})",
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
    out += _parameters(pack) + _rules(engine.catalog, pack) + _examples(pack)
    out.append("")
    return out


def _parameters(pack: Pack) -> list[str]:
    if not pack.parameters:
        return []
    out = [
        "",
        "### Parameters",
        "",
        "| parameter | value | range | source | note |",
        "|---|---|---|---|---|",
    ]
    for spec in pack.parameters:
        rng = f"{spec.low} – {spec.high}" if spec.low is not None else "exact"
        note = _cell(spec.note)
        if spec.assumption:
            note = "**Assumption** — override with your own figure. " + note
        edition = f", edition {spec.edition}" if spec.edition != spec.source.edition else ""
        out.append(
            f"| `{spec.name}` | {spec.value} | {rng} | {_cite(spec.source)}{edition} | {note} |"
        )
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
        given += f" per {example.per}" if example.per else ""
        if example.params:
            given += " with " + ", ".join(f"{k} = {v}" for k, v in example.params)
        out.append(
            f"| {_cell(given)} | `{example.to}` | {example.expect} | {_cell(example.note)} |"
        )
    return out
