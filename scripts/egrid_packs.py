"""Write the eGRID subregion overlays of the EPA pack from EPA's own data files.

    python scripts/egrid_packs.py             # writes conversions/egrid2022.yaml, egrid2023.yaml
    python scripts/egrid_packs.py --check     # exit 1 if either file differs from what it writes
    python scripts/egrid_packs.py --data DIR  # read the publisher files from DIR

Run it from anywhere with the repository's Python (standard library only). By default it reads
the copies of EPA's files in ``../shared/reference/data/`` next to the repository
(their README names where each copy came from):

- ``epa-ghg-emission-factors-hub-2024.xlsx``: GHG Emission Factors Hub 2024, Table 6 (eGRID2022);
- ``epa-ghg-emission-factors-hub-2025.xlsx``: GHG Emission Factors Hub 2025, Table 6 (eGRID2023,
  with a grid gross loss column);
- ``epa-power-profiler-subregion-egrid2022.json``: Power Profiler data, eGRID2022 (``gridLoss``);
- ``epa-power-profiler-subregion-egrid2023rev2.json``: the same for eGRID2023 rev2, read only to
  compare (its grid losses with the Hub 2025 column), never as a figure of the packs.

Every figure written is a cell of those files: nothing is typed in here except the worked
examples at the end, which are arithmetic done by hand on the written figures (``equivmetrics
validate`` and tests/test_egrid.py check them). Before writing, the script checks the Hub 2024
rates against the Power Profiler eGRID2022 file and every rate against the table of
``../shared/reference/regional-factors.md`` §3b when that file is there; any disagreement stops it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import textwrap
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "reference" / "data"
HUB_URL = "https://www.epa.gov/climateleadership/ghg-emission-factors-hub"
PROFILER_URL = "https://github.com/USEPA/power-profiler"
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_SHEET = "Emission Factors Hub"
#: Relative half-widths of the ranges (equivmetrics judgements, explained in the notes).
RATE_SPREAD = 0.10
LOSS_SPREAD = 0.01


# --- reading the publisher files -------------------------------------------------------------


def read_sheet(path: Path, name: str = _SHEET) -> dict[int, dict[str, str]]:
    """The cells of one worksheet of an .xlsx file as text, by row number and column letter."""
    with zipfile.ZipFile(path) as book:
        shared = _shared_strings(book)
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        rid = next(s.get(_REL) for s in workbook.iter(f"{_NS}sheet") if s.get("name") == name)
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        sheet = ET.fromstring(book.read("xl/" + str(target).removeprefix("/xl/")))
    rows: dict[int, dict[str, str]] = {}
    for row in sheet.iter(f"{_NS}row"):
        cells = {}
        for cell in row.iter(f"{_NS}c"):
            value = cell.find(f"{_NS}v")
            if value is None or value.text is None:
                continue
            column = re.sub(r"\d", "", cell.get("r", ""))
            text = value.text
            cells[column] = shared[int(text)] if cell.get("t") == "s" else text
        if cells:
            rows[int(row.get("r", "0"))] = cells
    return rows


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ET.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]


@dataclass(frozen=True)
class HubRow:
    """One row of a Hub workbook's Table 6 (``code`` is ``US`` for the U.S. average row)."""

    code: str
    name: str
    row: int
    total: float
    non_baseload: float
    loss: float | None


@dataclass(frozen=True)
class Table6:
    rows: dict[str, HubRow]
    source_line: str
    loss_column: bool
    modified: str


def read_table6(path: Path) -> Table6:
    """Table 6 "Electricity" of a GHG Emission Factors Hub workbook, with its headers checked."""
    sheet = read_sheet(path)
    start = next(r for r, cells in sheet.items() if cells.get("B") == "Table 6")
    header = next(r for r in sorted(sheet) if r > start and "Acronym" in sheet[r].get("C", ""))
    _expect(sheet[header - 1], {"E": "Total Output Emission Factors"}, path)
    _expect(sheet[header - 1], {"H": "Non-Baseload Emission Factors"}, path)
    _expect(sheet[header], {"E": "CO2 Factor", "H": "CO2 Factor"}, path)
    _expect(sheet[header + 1], {"E": "(lb CO2 / MWh)", "H": "(lb CO2 / MWh)"}, path)
    loss_column = sheet[header].get("K") == "Grid Gross Loss (%)"
    rows: dict[str, HubRow] = {}
    number = header + 2
    while not sheet[number]["C"].startswith("Source:"):
        cells = sheet[number]
        code = "US" if cells["C"] == "US Average" else cells["C"]
        loss = cells.get("K") if loss_column else None
        rows[code] = HubRow(
            code=code,
            name=cells["D"],
            row=number,
            total=float(cells["E"]),
            non_baseload=float(cells["H"]),
            loss=None if loss is None else float(loss),
        )
        number += 1
    modified = next((c["F"] for c in sheet.values() if c.get("F", "").startswith("Last Mod")), "")
    return Table6(rows, sheet[number]["C"], loss_column, modified)


def _expect(cells: dict[str, str], wanted: dict[str, str], path: Path) -> None:
    for column, text in wanted.items():
        if cells.get(column, "").strip() != text:
            raise SystemExit(f"{path.name}: Table 6 column {column} is not {text!r}: {cells}")


@dataclass(frozen=True)
class ProfilerRow:
    code: str
    name: str
    loss: float
    total: float


def read_profiler(path: Path) -> dict[str, ProfilerRow]:
    """Subregions (and ``US``, the file's "National" feature) of a Power Profiler data file."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    out = {}
    for feature in features:
        props = feature["properties"]
        if props.get("type") not in {"subregion", "national"}:
            continue
        code = "US" if props["type"] == "national" else props["name"]
        out[code] = ProfilerRow(
            code=code,
            name=props["fullName"],
            loss=float(props["gridLoss"]["value"]),
            total=float(props["emissionFactor"]["co2EmissionRate"]["value"]),
        )
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- the figures of one edition ----------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """The three parameters of one region in one edition, each with where it was read."""

    code: str
    name: str
    total: float
    non_baseload: float
    loss: float
    hub_row: int
    #: Where the loss was read, when not the Hub row's own cell (a note for the region).
    loss_note: str = ""


def figures_2022(hub: Table6, profiler: dict[str, ProfilerRow]) -> list[Figure]:
    """eGRID2022: rates from Hub 2024 Table 6, grid loss from the Power Profiler file."""
    if set(hub.rows) != set(profiler):
        raise SystemExit(f"Hub 2024 and Power Profiler 2022 list different regions: {hub.rows}")
    out = []
    for code, row in hub.rows.items():
        if row.total != profiler[code].total:
            raise SystemExit(f"{code}: Hub 2024 {row.total} != Power Profiler {profiler[code]}")
        out.append(
            Figure(code, row.name, row.total, row.non_baseload, profiler[code].loss, row.row)
        )
    return out


def figures_2023(hub: Table6, rev2: dict[str, ProfilerRow]) -> list[Figure]:
    """eGRID2023: rates and grid loss from Hub 2025 Table 6; a blank loss cell takes the U.S.
    average row's loss of the same table (the note says so, with the rev2 file's figure)."""
    national = hub.rows["US"].loss
    assert national is not None
    out = []
    for code, row in hub.rows.items():
        loss, note = row.loss, ""
        if loss is None:
            loss = national
            note = (
                f"Hub 2025 Table 6 leaves {code}'s grid gross loss blank (cell K{row.row}): "
                f"the U.S. average row's {_pct(national)} (cell K{hub.rows['US'].row}) is used. "
                f"EPA's Power Profiler eGRID2023 rev2 file gives {_pct(rev2[code].loss)} "
                f"for {code}."
            )
        out.append(Figure(code, row.name, row.total, row.non_baseload, loss, row.row, note))
    return out


def losses_agree(hub: Table6, rev2: dict[str, ProfilerRow]) -> bool:
    """Whether every grid loss Hub 2025 gives equals the rev2 Power Profiler file's."""
    return all(r.loss == rev2[c].loss for c, r in hub.rows.items() if r.loss is not None)


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.1f} %"


# --- cross-checks ---------------------------------------------------------------------------------


def check_reference(table: Path, editions: dict[str, list[Figure]]) -> int:
    """Compare the rates with the table of regional-factors.md §3b; return the cells checked."""
    columns = {"eGRID2022": (1, 2), "eGRID2023": (3, 4)}
    text = table.read_text(encoding="utf-8")
    section = text[text.index("### 3b.") : text.index("### 3c.")]
    wanted: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"\|\s*\**([A-Z]{4}|US average)\b[^|]*\|(.*)\|\s*$", line)
        if match:
            code = "US" if match[1] == "US average" else match[1]
            wanted[code] = [cell.strip(" *") for cell in match[2].split("|")]
    checked = 0
    for edition, figures in editions.items():
        total_at, nb_at = columns[edition]
        for fig in figures:
            cells = wanted[fig.code]
            for value, text in (
                (fig.total, cells[total_at - 1]),
                (fig.non_baseload, cells[nb_at - 1]),
            ):
                if float(text.split()[0].replace(",", "")) != value:
                    raise SystemExit(f"{edition} {fig.code}: file {value} != reference {text}")
                checked += 1
    return checked


# --- writing ----------------------------------------------------------------------------------

HUB_2024 = "epa-ghg-emission-factors-hub-2024.xlsx"
HUB_2025 = "epa-ghg-emission-factors-hub-2025.xlsx"
PROFILER_2022 = "epa-power-profiler-subregion-egrid2022.json"
PROFILER_2023_REV2 = "epa-power-profiler-subregion-egrid2023rev2.json"
LICENSE = (
    "Pack text and structure: MIT, as the library. The figures are facts published by the U.S. "
    "Environmental Protection Agency (works of the U.S. Government, public domain)."
)
#: The parameters of epa_ghg each region sets: (parameter, Figure field, key of its note).
PARAMETERS = (
    ("egrid_co2_rate", "total", "total_rate"),
    ("td_loss_fraction", "loss", "grid_loss"),
    ("avoided_co2_rate", "non_baseload", "non_baseload"),
)


def folded(text: str, indent: int) -> str:
    """Text for a ``>-`` block, wrapped to fit 100 columns."""
    pad = " " * indent
    lines = textwrap.wrap(
        text,
        100,
        initial_indent=pad,
        subsequent_indent=pad,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return "\n".join(lines)


def rate_range(value: float) -> tuple[str, str]:
    return f"{value * (1 - RATE_SPREAD):.1f}", f"{value * (1 + RATE_SPREAD):.1f}"


def loss_range(value: float) -> tuple[str, str]:
    return f"{value - LOSS_SPREAD:.3f}", f"{value + LOSS_SPREAD:.3f}"


@dataclass(frozen=True)
class Edition:
    """The words of one overlay around its figures."""

    name: str
    edition: str
    #: The Hub workbook of the rates ("Hub 2024").
    hub: str
    default: bool
    header: str
    title: str
    description: str
    sources: str
    #: Source keys of the rates and of the grid loss.
    rate_source: str
    loss_source: str
    #: The notes every region shares, by key (written once, then as YAML aliases).
    notes: dict[str, str]
    #: Where a region's grid loss was read, with ``{row}`` and ``{feature}`` to fill in.
    loss_cell: str
    examples: str


def _note(key: str, text: str, anchored: set[str]) -> list[str]:
    """A shared note: written out (``&key``) the first time, an alias (``*key``) after."""
    if key in anchored:
        return [f"        note: *{key}"]
    anchored.add(key)
    return [f"        note: &{key} >-", folded(text, 10)]


def _parameter(fig: Figure, spec: Edition, which: tuple[str, str, str], anchored: set[str]) -> str:
    name, field, key = which
    value: float = getattr(fig, field)
    if field == "loss":
        unit, (low, high) = "", loss_range(value)
    else:
        unit, (low, high) = " lb/MWh", rate_range(value)
    lines = [
        f"      {name}:",
        f"        value: {value!r}{unit}",
        f"        low: {low}{unit}",
        f"        high: {high}{unit}",
        f"        source: {spec.loss_source if field == 'loss' else spec.rate_source}",
    ]
    if field == "loss" and fig.loss_note:
        note = f"{fig.loss_note} Range ±1 percentage point, an equivmetrics judgement, not EPA's."
        lines += ["        note: >-", folded(note, 10)]
    else:
        lines += _note(key, spec.notes[key], anchored)
    return "\n".join(lines)


def region_entry(fig: Figure, spec: Edition, anchored: set[str]) -> str:
    """One entry of the ``regions:`` table; its note names the cells it was read from."""
    row = fig.hub_row
    if fig.code == "US":
        code, name, what = "US", "United States", "The U.S. average ('US Average')"
    else:
        code, name, what = f"US-{fig.code}", fig.name, f"eGRID subregion {fig.code}"
    feature = "National" if fig.code == "US" else fig.code
    note = f"{what}: {spec.hub} Table 6 row {row} (total output E{row}, non-baseload H{row})."
    note += " " + (fig.loss_note or spec.loss_cell.format(row=row, feature=feature))
    lines = [f"  {code}:", f"    name: {name}", "    note: >-", folded(note, 6), "    parameters:"]
    lines += [_parameter(fig, spec, which, anchored) for which in PARAMETERS]
    return "\n".join(lines)


def render(spec: Edition, figures: Iterable[Figure]) -> str:
    """The overlay's YAML text: the U.S. average row first, then the subregions by code."""
    anchored: set[str] = set()
    ordered = sorted(figures, key=lambda f: (f.code != "US", f.code))
    entries = "\n".join(region_entry(f, spec, anchored) for f in ordered)
    default = "default: true\n" if spec.default else ""
    return (
        f"{spec.header}"
        "equivmetrics: 1\n"
        f"name: {spec.name}\n"
        f"edition: {spec.edition}\n"
        "region: US\n"
        "extends: epa_ghg\n"
        f"{default}"
        f"title: {spec.title}\n"
        f"description: >-\n{folded(spec.description, 2)}\n"
        f"license: >-\n{folded(LICENSE, 2)}\n\n"
        f"sources:\n{spec.sources}\n\n"
        f"regions:\n{entries}\n\n"
        f"{spec.examples}"
    )


@dataclass(frozen=True)
class Copy:
    """Where the copy of a publisher file that was read came from."""

    repo: str
    path: str
    commit: str
    file: str

    def note(self, data: Path) -> str:
        digest = sha256(data / self.file)
        where = (
            f"EPA's own repository {self.repo}"
            if self.repo.startswith("USEPA/")
            else f"a copy of EPA's workbook in the public repository {self.repo}"
        )
        return (
            f"Read from {where} ({self.path} at commit {self.commit}; sha256 {digest}), not from "
            "EPA's website."
        )


def source(key: str, title: str, url: str, edition: str, note: str) -> str:
    return "\n".join(
        [
            f"  {key}:",
            "    publisher: U.S. Environmental Protection Agency",
            f"    title: >-\n{folded(title, 6)}",
            f"    url: {url}",
            f"    edition: {edition}",
            f"    note: >-\n{folded(note, 6)}",
        ]
    )


# --- the words of the two overlays ------------------------------------------------------------

HEADER = """\
# {edition} subregion figures for the EPA greenhouse-gas pack: an overlay of epa_ghg.
#
# GENERATED by scripts/egrid_packs.py from EPA's own data files (its docstring says how to
# re-run it): change the script, not this file. Every figure is a cell of a publisher file;
# only the worked examples at the end were written by hand (in the script).
#
# Each region below sets three parameters of epa_ghg, whose rules stay as they are:
#   egrid_co2_rate    eGRID total output CO2 emission rate: lb CO2 per MWh GENERATED in the
#                     region ({hub} Table 6, "Total Output Emission Factors")
#   td_loss_fraction  the grid gross loss of the same edition
#                     ({loss_from})
#   avoided_co2_rate  eGRID non-baseload output CO2 emission rate ({hub} Table 6,
#                     "Non-Baseload Emission Factors"), eGRID's proxy for the marginal rate
#
#   electricity_consumed -> co2e:  egrid_co2_rate / (1 - td_loss_fraction)
#     The rate is per MWh generated; a MWh consumed took 1 / (1 - loss) MWh generated, so
#     consumed electricity is grossed up by this edition's own grid loss.
#   electricity_avoided  -> co2e:  avoided_co2_rate
#     Electricity saved or displaced is valued at the non-baseload rate. That is eGRID, not
#     AVERT; EPA's current Equivalencies Calculator method for avoided electricity was not
#     verified. Equivalents that go through electricity (LED bulbs, phone charges, homes'
#     electricity) use the region's rates; their other figures stay epa_ghg's U.S. ones.
#
# em.load(region="US-CAMX", edition="{edition}") takes a subregion's row and
# em.load(region="US", edition="{edition}") the U.S. average row. {default_words}
#
# Ranges are equivmetrics judgements, not EPA's (EPA publishes single values); the notes say
# why. The worked examples take 1 t = 2,204.62 lb (pint's exact pound).
"""

DEFAULT_WORDS = {
    True: (
        "This is the default edition\n"
        '# for subregions: em.load(region="US-CAMX") takes it. em.load(region="US") without\n'
        "# edition= keeps epa_ghg's own national figures (AVERT 2019, eGRID2019)."
    ),
    False: (
        "Without edition=, a subregion\n"
        "# takes the default edition, eGRID2023 (conversions/egrid2023.yaml), and\n"
        '# em.load(region="US") keeps epa_ghg\'s own national figures (AVERT 2019, eGRID2019).'
    ),
}


@dataclass(frozen=True)
class Facts:
    """Figures the notes quote, computed from the files: how the rates and losses moved."""

    us_move: float
    inside: int
    count: int
    largest: str
    losses_2022: str
    losses_2023: str


def facts(old: list[Figure], new: list[Figure]) -> Facts:
    before = {f.code: f.total for f in old}
    change = {f.code: f.total / before[f.code] - 1 for f in new}
    us = change.pop("US")
    code = max(change, key=lambda c: abs(change[c]))

    def spread(figures: list[Figure]) -> str:
        losses = [f.loss for f in figures]
        return f"{min(losses) * 100:.1f}-{max(losses) * 100:.1f} %"

    return Facts(
        us_move=us,
        inside=sum(abs(c) < RATE_SPREAD for c in change.values()),
        count=len(change),
        largest=f"{code} by {change[code] * 100:+.0f} %",
        losses_2022=spread(old),
        losses_2023=spread(new),
    )


def shared_notes(edition: str, hub: str, loss_words: str, known: Facts) -> dict[str, str]:
    return {
        "total_rate": (
            f"{edition} total output CO2 emission rate of the region: lb of CO2 per MWh generated "
            f"there by all its generators ({hub} Table 6; the region's note gives the cell). "
            "epa_ghg divides it by (1 - td_loss_fraction) to value electricity consumed. "
            f"Range ±{RATE_SPREAD * 100:.0f} %, an equivmetrics judgement, not EPA's (EPA gives "
            "one figure): the rate moves from year to year with the generation mix. From eGRID2022 "
            f"to eGRID2023 the U.S. average moved by {known.us_move * 100:+.1f} %, {known.inside} "
            f"of the {known.count} subregions by less than {RATE_SPREAD * 100:.0f} %, and "
            f"{known.largest}."
        ),
        "grid_loss": (
            f"{edition} grid gross loss of the region: the share of the electricity generated "
            f"that is lost before it reaches users ({loss_words}). A kWh consumed took "
            "1 / (1 - loss) kWh generated. Range ±1 percentage point, an equivmetrics "
            "judgement, not EPA's: losses change from year to year (eGRID2022 gives "
            f"{known.losses_2022}, eGRID2023 {known.losses_2023}) and vary within a region."
        ),
        "non_baseload": (
            f"{edition} annual non-baseload output CO2 emission rate of the region ({hub} Table "
            "6), eGRID's proxy for the marginal rate: epa_ghg values electricity avoided at it. "
            "EPA's Hub (2025 edition) says non-baseload factors 'can be used to estimate GHG "
            "emissions reductions on the grid from changes in electricity use'. This is eGRID's "
            "non-baseload rate, not an AVERT marginal rate; whether EPA's current Equivalencies "
            "Calculator values avoided electricity with exactly this rate was not verified. "
            f"Range ±{RATE_SPREAD * 100:.0f} %, an equivmetrics judgement, not EPA's: the rate at "
            "the margin depends on which plants a project displaces and when (AVERT gives "
            "different rates for wind, solar and efficiency load shapes)."
        ),
    }


def edition_2022(data: Path, hub: Table6, known: Facts) -> Edition:
    hub_note = (
        f"Table 6 says: '{hub.source_line}'. "
        + Copy(
            "Vishnu-2012/SupplyChain-CO2-Analysis",
            "data/ghg-emission-factors-hub-2024.xlsx",
            "bc93e68",
            HUB_2024,
        ).note(data)
        + " The copy was re-saved by the repository's owner (the workbook records a local "
        "folder) and the notes below its Table 6 are empty, but each of its 28 total output "
        "rates equals the Power Profiler eGRID2022 file's (scripts/egrid_packs.py checks this). "
        "This Hub edition gives no grid loss."
    )
    profiler_note = (
        "EPA's Power Profiler data for eGRID2022: each subregion's gridLoss, and the "
        "'National' feature's for the U.S. average. "
        + Copy("USEPA/power-profiler", "app/data/subregion.json", "afce916", PROFILER_2022).note(
            data
        )
    )
    sources = "\n".join(
        [
            source(
                "hub_2024",
                "GHG Emission Factors Hub 2024, Table 6 'Electricity', eGRID Subregion rows: total "
                "output and non-baseload CO2 emission factors (lb CO2/MWh)",
                HUB_URL,
                "eGRID2022",
                hub_note,
            ),
            source(
                "power_profiler_2022",
                "Power Profiler data file, eGRID subregions (app/data/subregion.json): grid gross "
                "loss",
                PROFILER_URL,
                "eGRID2022",
                profiler_note,
            ),
        ]
    )
    return Edition(
        name="egrid2022",
        edition="eGRID2022",
        hub="Hub 2024",
        default=False,
        header=HEADER.format(
            edition="eGRID2022",
            hub="Hub 2024",
            loss_from="EPA Power Profiler data, eGRID2022: gridLoss",
            default_words=DEFAULT_WORDS[False],
        ),
        title="eGRID2022 subregion electricity rates (U.S. EPA)",
        description=(
            "Electricity consumed and avoided in each of the 27 eGRID subregions of the United "
            "States, and at the U.S. average, at EPA's eGRID2022 rates (January 2024): the total "
            "output CO2 emission rate grossed up by the grid gross loss for electricity "
            "consumed, the non-baseload rate for electricity avoided. An overlay of epa_ghg "
            "that sets those three parameters per region; load it with "
            "em.load(region='US-CAMX', edition='eGRID2022')."
        ),
        sources=sources,
        rate_source="hub_2024",
        loss_source="power_profiler_2022",
        notes=shared_notes("eGRID2022", "Hub 2024", "EPA Power Profiler data, gridLoss", known),
        loss_cell="Grid gross loss: the Power Profiler file's feature {feature}.",
        examples=EXAMPLES_2022,
    )


def edition_2023(data: Path, hub: Table6, rev2_agrees: bool, known: Facts) -> Edition:
    agree = (
        "The rev2 file's grid losses equal this table's for every region the table gives one for."
        if rev2_agrees
        else "The rev2 file's grid losses differ from this table's for some regions."
    )
    hub_note = (
        f"The workbook says '{hub.modified}'; Table 6 says: '{hub.source_line}'. "
        + Copy(
            "SWASTIKA3011/Carbon-Lens", "ghg-emission-factors-hub-2025.xlsx", "97d16c7", HUB_2025
        ).note(data)
        + " The copy was re-saved by the repository's owner (the workbook records a local "
        "folder); Table 6 and its notes are complete. These are eGRID2023's January 2025 "
        "figures. EPA revised eGRID2023 in June 2025 "
        "(rev2, in the Power Profiler data), changing several subregions' total output rates "
        "(AZNM 740.810 to 703.703 lb/MWh); rev2's non-baseload rates were not found, so this "
        "pack keeps the January set, total, non-baseload and loss from this one table. " + agree
    )
    sources = source(
        "hub_2025",
        "GHG Emission Factors Hub 2025, Table 6 'Electricity', eGRID Subregion rows: total output "
        "and non-baseload CO2 emission factors (lb CO2/MWh) and Grid Gross Loss (%)",
        HUB_URL,
        "eGRID2023",
        hub_note,
    )
    return Edition(
        name="egrid2023",
        edition="eGRID2023",
        hub="Hub 2025",
        default=True,
        header=HEADER.format(
            edition="eGRID2023",
            hub="Hub 2025",
            loss_from='Hub 2025 Table 6, "Grid Gross Loss (%)"',
            default_words=DEFAULT_WORDS[True],
        ),
        title="eGRID2023 subregion electricity rates (U.S. EPA)",
        description=(
            "Electricity consumed and avoided in each of the 27 eGRID subregions of the United "
            "States, and at the U.S. average, at EPA's eGRID2023 rates (January 2025): the total "
            "output CO2 emission rate grossed up by the grid gross loss for electricity "
            "consumed, the non-baseload rate for electricity avoided. An overlay of epa_ghg "
            "that sets those three parameters per region, and the default edition for "
            "subregions: em.load(region='US-CAMX')."
        ),
        sources=sources,
        rate_source="hub_2025",
        loss_source="hub_2025",
        notes=shared_notes("eGRID2023", "Hub 2025", "Hub 2025 Table 6, Grid Gross Loss", known),
        loss_cell="Grid gross loss: cell K{row}.",
        examples=EXAMPLES_2023,
    )


# --- worked examples, by hand (1 t = 2,204.62 lb) ---------------------------------------------

EXAMPLES_2022 = """\
examples:
  # Worked by hand from the figures above, each at its region and this edition.
  - region: US-CAMX
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.237762 t
    tolerance: 0.0005
    note: >-
      WECC California: 497.443 lb/MWh x 1 MWh / (1 - 0.051) = 524.176 lb; / 2,204.62 lb/t
      = 0.237762 t.
  - region: US-CAMX
    given: 1000 kWh
    to: co2e
    expect: 0.478532 t
    tolerance: 0.0005
    note: >-
      Avoided, at the non-baseload rate: 1,054.982 lb/MWh x 1 MWh / 2,204.62 = 0.478532 t.
  - region: US-CAMX
    given: 1 count
    of: led_bulb
    to: co2e
    expect: 0.0178157 t
    tolerance: 0.0005
    note: >-
      epa_ghg's lamp-year, (43 - 9) W x 3 h x 365 = 37.23 kWh, avoided in WECC California:
      37.23 x 1,054.982 / 1,000 = 39.2770 lb = 0.0178157 t.
  - region: US
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.393440 t
    tolerance: 0.0005
    note: >-
      The U.S. average row: 823.149 / (1 - 0.051) = 867.386 lb; / 2,204.62 = 0.393440 t
      (3.9344e-4 t/kWh; EPA's 2024 Equivalencies page is quoted second-hand as 3.94e-4).
  - region: US
    given: 1000 kWh
    to: co2e
    expect: 0.637443 t
    tolerance: 0.0005
    note: >-
      The U.S. average non-baseload rate: 1,405.322 / 2,204.62 = 0.637443 t.
  - region: US-HIOA
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.755383 t
    tolerance: 0.0005
    note: >-
      HICC Oahu, grid loss 5.4 %: 1,575.407 / (1 - 0.054) = 1,665.335 lb = 0.755383 t.
  - region: US-AKGD
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.502348 t
    tolerance: 0.0005
    note: >-
      ASCC Alaska Grid, grid loss 5.0 %: 1,052.114 / 0.950 = 1,107.488 lb = 0.502348 t.
  - region: US-NYUP
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.131231 t
    tolerance: 0.0005
    note: >-
      NPCC Upstate NY: 274.559 / (1 - 0.051) = 289.314 lb = 0.131231 t.
"""

EXAMPLES_2023 = """\
examples:
  # Worked by hand from the figures above, each at its region and this edition.
  - region: US-CAMX
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.206531 t
    tolerance: 0.0005
    note: >-
      WECC California: 436.655 lb/MWh x 1 MWh / (1 - 0.041) = 455.323 lb; / 2,204.62 lb/t
      = 0.206531 t.
  - region: US-CAMX
    given: 1000 kWh
    to: co2e
    expect: 0.469008 t
    tolerance: 0.0005
    note: >-
      Avoided, at the non-baseload rate: 1,033.985 lb/MWh x 1 MWh / 2,204.62 = 0.469008 t.
  - region: US-CAMX
    given: 1 count
    of: led_bulb
    to: co2e
    expect: 0.0174612 t
    tolerance: 0.0005
    note: >-
      epa_ghg's lamp-year, (43 - 9) W x 3 h x 365 = 37.23 kWh, avoided in WECC California:
      37.23 x 1,033.985 / 1,000 = 38.4953 lb = 0.0174612 t.
  - region: US
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.365300 t
    tolerance: 0.0005
    note: >-
      The U.S. average row: 771.523 / (1 - 0.042) = 805.348 lb; / 2,204.62 = 0.365300 t.
  - region: US
    given: 1000 kWh
    to: co2e
    expect: 0.632172 t
    tolerance: 0.0005
    note: >-
      The U.S. average non-baseload rate: 1,393.7 / 2,204.62 = 0.632172 t.
  - region: US-PRMS
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.730555 t
    tolerance: 0.0005
    note: >-
      Puerto Rico, at the U.S. average grid loss (the Hub leaves PRMS's blank):
      1,542.952 / (1 - 0.042) = 1,610.597 lb = 0.730555 t.
  - region: US-HIOA
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.706656 t
    tolerance: 0.0005
    note: >-
      HICC Oahu, grid loss 4.4 %: 1,489.362 / (1 - 0.044) = 1,557.910 lb = 0.706656 t.
  - region: US-RFCM
    given: 1000 kWh
    of: electricity_consumed
    to: co2e
    expect: 0.455526 t
    tolerance: 0.0005
    note: >-
      RFC Michigan: 962.084 / (1 - 0.042) = 1,004.263 lb = 0.455526 t.
"""


# --- main ---------------------------------------------------------------------------------------


def build(data: Path) -> dict[str, str]:
    """The text of each overlay file, by file name, after every cross-check passed."""
    hub24, hub25 = read_table6(data / HUB_2024), read_table6(data / HUB_2025)
    rev2 = read_profiler(data / PROFILER_2023_REV2)
    old = figures_2022(hub24, read_profiler(data / PROFILER_2022))
    new = figures_2023(hub25, rev2)
    reference = data.parent / "regional-factors.md"
    if reference.is_file():
        checked = check_reference(reference, {"eGRID2022": old, "eGRID2023": new})
        print(f"{checked} rates agree with {reference.name} §3b", file=sys.stderr)
    known = facts(old, new)
    return {
        "egrid2022.yaml": render(edition_2022(data, hub24, known), old),
        "egrid2023.yaml": render(edition_2023(data, hub25, losses_agree(hub25, rev2), known), new),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DATA, help=f"publisher files (default {DATA})")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    missing = [
        n
        for n in (HUB_2024, HUB_2025, PROFILER_2022, PROFILER_2023_REV2)
        if not (args.data / n).is_file()
    ]
    if missing:
        raise SystemExit(f"not found in {args.data}: {', '.join(missing)} (see --data)")
    stale = []
    for name, text in build(args.data).items():
        path = ROOT / "conversions" / name
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}", file=sys.stderr)
    if stale:
        print(
            f"out of date: {', '.join(stale)}; run python scripts/egrid_packs.py", file=sys.stderr
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
