"""The eGRID subregion overlays of the EPA pack (conversions/egrid2022.yaml, egrid2023.yaml).

The figures are compared with EPA's own files in ``../shared/reference/data/`` next to the
repository, read here with the standard library and independently of the generator
(scripts/egrid_packs.py); those tests are skipped when the folder is absent (an sdist). The
conversions are worked by hand: 1 t = 2,204.62262 lb (pint's exact pound).
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import equivmetrics as em


def _environment(engine: em.Engine) -> tuple[tuple[str, str], ...]:
    """The engine's chosen packs and editions, the productivity topic (which holds everywhere)
    left out."""
    return tuple(e for e in engine.editions if e[0] != "productivity")


ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "reference" / "data"
PACKS = {
    "eGRID2022": ROOT / "conversions" / "egrid2022.yaml",
    "eGRID2023": ROOT / "conversions" / "egrid2023.yaml",
}
LB_PER_T = 1000 / 0.45359237
HUB_URL = "https://www.epa.gov/climateleadership/ghg-emission-factors-hub"
#: The 27 eGRID subregions of Table 6 (the U.S. average row is ``US``).
SUBREGIONS = (
    *("AKGD", "AKMS", "AZNM", "CAMX", "ERCT", "FRCC", "HIMS", "HIOA", "MROE", "MROW", "NEWE"),
    *("NWPP", "NYCW", "NYLI", "NYUP", "PRMS", "RFCE", "RFCM", "RFCW", "RMPA", "SPNO", "SPSO"),
    *("SRMV", "SRMW", "SRSO", "SRTV", "SRVC"),
)
EDITIONS = tuple(PACKS)

needs_data = pytest.mark.skipif(
    not DATA.is_dir(),
    reason=f"EPA's publisher files are not here ({DATA}): they sit next to the repository, "
    "not in it",
)


# --- EPA's files, read with the standard library -------------------------------------------------

_NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


@cache
def hub_table6(file: str) -> dict[str, dict[str, str]]:
    """Table 6 of a Hub workbook's first sheet: per code (``US`` for 'US Average'), the cells of
    its row by column letter (a blank cell is absent)."""
    with zipfile.ZipFile(DATA / file) as book:
        strings = [
            "".join(t.text or "" for t in si.iterfind(".//x:t", _NS))
            for si in ET.fromstring(book.read("xl/sharedStrings.xml")).iterfind("x:si", _NS)
        ]
        sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//x:row", _NS):
        cells = {}
        for cell in row.iterfind("x:c", _NS):
            value = cell.find("x:v", _NS)
            if value is not None and value.text is not None:
                text = strings[int(value.text)] if cell.get("t") == "s" else value.text
                cells[re.sub(r"\d", "", cell.get("r", ""))] = text
        rows.append(cells)
    start = next(i for i, cells in enumerate(rows) if cells.get("B") == "Table 6")
    table: dict[str, dict[str, str]] = {}
    for cells in rows[start:]:
        if cells.get("C", "").startswith("Source:"):
            break
        if cells.get("C") == "US Average" or re.fullmatch(r"[A-Z]{4}", cells.get("C", "")):
            table["US" if cells["C"] == "US Average" else cells["C"]] = cells
    return table


@cache
def profiler(file: str) -> dict[str, dict[str, Any]]:
    """Power Profiler features by subregion code (``US`` for the 'National' feature)."""
    features = json.loads((DATA / file).read_text(encoding="utf-8"))["features"]
    out = {}
    for feature in features:
        props = feature["properties"]
        if props.get("type") == "subregion":
            out[props["name"]] = props
        elif props.get("type") == "national":
            out["US"] = props
    return out


def publisher_figures(edition: str) -> dict[str, dict[str, float]]:
    """Each region's three parameters as EPA's files give them, for one edition."""
    if edition == "eGRID2022":
        hub = hub_table6("epa-ghg-emission-factors-hub-2024.xlsx")
        pp = profiler("epa-power-profiler-subregion-egrid2022.json")
        losses = {code: float(pp[code]["gridLoss"]["value"]) for code in hub}
    else:
        hub = hub_table6("epa-ghg-emission-factors-hub-2025.xlsx")
        # Hub 2025 leaves one cell of its grid loss column blank (PRMS): the pack takes the
        # table's U.S. average there, as its note says
        losses = {code: float(hub[code].get("K", hub["US"]["K"])) for code in hub}
    return {
        code: {
            "egrid_co2_rate": float(cells["E"]),
            "avoided_co2_rate": float(cells["H"]),
            "td_loss_fraction": losses[code],
        }
        for code, cells in hub.items()
    }


# --- the packs as written ------------------------------------------------------------------------


@cache
def pack(edition: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(PACKS[edition].read_text(encoding="utf-8"))
    return data


def pack_figures(edition: str) -> dict[str, dict[str, float]]:
    """Each region's parameters as the pack writes them (``US-CAMX`` read as ``CAMX``)."""
    out = {}
    for code, entry in pack(edition)["regions"].items():
        key = code.removeprefix("US-")
        out[key] = {
            name: float(str(spec["value"]).split()[0]) for name, spec in entry["parameters"].items()
        }
    return out


def consumed_rate(edition: str, code: str) -> float:
    """lb CO2 per MWh consumed, from the publisher's cells: rate / (1 - loss)."""
    fig = publisher_figures(edition)[code]
    return fig["egrid_co2_rate"] / (1 - fig["td_loss_fraction"])


# --- (a) every figure is the publisher's cell ----------------------------------------------------


@needs_data
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_region_figure_is_the_publishers_cell(edition: str) -> None:
    written, published = pack_figures(edition), publisher_figures(edition)
    assert sorted(published) == sorted([*SUBREGIONS, "US"])
    assert written == published


@needs_data
@pytest.mark.parametrize(
    ("edition", "file"),
    [
        ("eGRID2022", "epa-ghg-emission-factors-hub-2024.xlsx"),
        ("eGRID2023", "epa-ghg-emission-factors-hub-2025.xlsx"),
    ],
)
def test_region_names_are_the_hubs(edition: str, file: str) -> None:
    names = {code: entry["name"] for code, entry in pack(edition)["regions"].items()}
    hub = hub_table6(file)
    assert names.pop("US") == "United States"
    assert names == {f"US-{code}": hub[code]["D"] for code in SUBREGIONS}
    assert names["US-CAMX"] == "WECC California"


@needs_data
def test_the_blank_prms_loss_is_the_us_average_and_rev2_agrees() -> None:
    hub = hub_table6("epa-ghg-emission-factors-hub-2025.xlsx")
    rev2 = profiler("epa-power-profiler-subregion-egrid2023rev2.json")
    assert "K" not in hub["PRMS"]
    assert all("K" in hub[code] for code in hub if code != "PRMS")
    prms = pack("eGRID2023")["regions"]["US-PRMS"]
    assert prms["parameters"]["td_loss_fraction"]["value"] == float(hub["US"]["K"]) == 0.042
    assert rev2["PRMS"]["gridLoss"]["value"] == 0.042
    assert "blank" in prms["note"]
    assert "blank" in prms["parameters"]["td_loss_fraction"]["note"]


@needs_data
def test_the_generator_writes_the_packs_as_they_are() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "egrid_packs.py"), "--check", "--data", str(DATA)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("edition", EDITIONS)
def test_ranges_are_judgements_that_contain_the_value(edition: str) -> None:
    for code, entry in pack(edition)["regions"].items():
        for name, spec in entry["parameters"].items():
            value, low, high = (float(str(spec[k]).split()[0]) for k in ("value", "low", "high"))
            assert low < value < high, (code, name)
            assert "an equivmetrics judgement, not EPA's" in spec["note"], (code, name)
        assert "not an AVERT marginal rate" in entry["parameters"]["avoided_co2_rate"]["note"]
        assert "was not verified" in entry["parameters"]["avoided_co2_rate"]["note"]


def test_the_overlays_are_us_overlays_of_the_epa_pack() -> None:
    for edition, data in ((e, pack(e)) for e in EDITIONS):
        assert (data["edition"], data["region"], data["extends"]) == (edition, "US", "epa_ghg")
        assert data["equivmetrics"] == 1
        assert HUB_URL in {s["url"] for s in data["sources"].values()}
    assert pack("eGRID2023")["default"] is True
    assert "default" not in pack("eGRID2022")


# --- (b) conversions worked by hand --------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "consumed", "avoided"),
    [
        # 436.655 lb/MWh / (1 - 0.041) = 455.3233 lb per MWh consumed = 0.206531 t;
        # avoided at non-baseload 1,033.985 lb/MWh = 0.469008 t
        (None, 436.655 / 0.959 / LB_PER_T, 1033.985 / LB_PER_T),
        ("eGRID2023", 436.655 / 0.959 / LB_PER_T, 1033.985 / LB_PER_T),
        # 497.443 / (1 - 0.051) = 524.1760 lb = 0.237762 t; 1,054.982 lb = 0.478532 t
        ("eGRID2022", 497.443 / 0.949 / LB_PER_T, 1054.982 / LB_PER_T),
    ],
)
def test_a_mwh_in_california(edition: str | None, consumed: float, avoided: float) -> None:
    engine = em.load(region="US-CAMX", edition=edition)
    used = engine.convert("1000 kWh", "co2e", of="electricity_consumed")
    saved = engine.convert("1 MWh", "co2e")
    assert used.magnitude == pytest.approx(consumed, rel=1e-12)
    assert saved.magnitude == pytest.approx(avoided, rel=1e-12)
    assert round(used.magnitude, 6) == (0.237762 if edition == "eGRID2022" else 0.206531)
    # the low end: rate -10 % (436.655 x 0.9 = 393.0 as written), loss -1 point (0.031);
    # eGRID2022: 497.443 x 0.9 = 447.7 and 0.041
    low = 447.7 / (1 - 0.041) if edition == "eGRID2022" else 393.0 / (1 - 0.031)
    assert used.low == pytest.approx(low / LB_PER_T, rel=1e-12)


def test_regions_are_read_in_any_case() -> None:
    assert em.load(region="us-camx") is em.load(region="US-CAMX")


def test_equivalents_through_electricity_use_the_region() -> None:
    # a lamp-year, 37.23 kWh, avoided in California (eGRID2023): 37.23 x 1,033.985 / 1,000 lb
    engine = em.load(region="US-CAMX")
    r = engine.convert("1 count", "co2e", of="led_bulb")
    assert r.magnitude == pytest.approx(37.23 * 1033.985 / 1000 / LB_PER_T, rel=1e-12)
    assert r.region == "US-CAMX"
    assert r.editions == ("AVERT2019-eGRID2019", "eGRID2023")  # the lamp, then the rate


# --- (c) regions compare as their rates do -------------------------------------------------------


@pytest.fixture(scope="module")
def engines() -> dict[tuple[str, str], em.Engine]:
    return {(e, c): em.load(region=f"US-{c}", edition=e) for e in EDITIONS for c in SUBREGIONS}


@needs_data
@settings(max_examples=200, deadline=None)
@given(
    edition=st.sampled_from(EDITIONS),
    a=st.sampled_from(SUBREGIONS),
    b=st.sampled_from(SUBREGIONS),
    kwh=st.floats(min_value=1e-6, max_value=1e12, allow_nan=False, allow_infinity=False),
)
def test_two_regions_compare_as_their_consumed_rates(
    engines: dict[tuple[str, str], em.Engine], edition: str, a: str, b: str, kwh: float
) -> None:
    in_a = engines[edition, a].convert(f"{kwh!r} kWh", "co2e", of="electricity_consumed")
    in_b = engines[edition, b].convert(f"{kwh!r} kWh", "co2e", of="electricity_consumed")
    expected = consumed_rate(edition, a) / consumed_rate(edition, b)
    assert math.isclose(in_a.magnitude / in_b.magnitude, expected, rel_tol=1e-9)


def test_default_subregions_take_egrid2023() -> None:
    for code in SUBREGIONS:
        engine = em.load(region=f"US-{code}")
        assert _environment(engine) == (
            ("epa_ghg", "AVERT2019-eGRID2019"),
            ("egrid2023", "eGRID2023"),
        )


# --- (d) no result mixes eGRID editions ----------------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize(
    ("given_", "of"),
    [
        ("1000 kWh", "electricity_consumed"),
        ("1000 kWh", "electricity_avoided"),
        ("3 count", "led_bulb"),
        ("30 count", "smartphone_charge"),
        ("2 home_year", "home_electricity"),
    ],
)
def test_a_result_takes_its_egrid_figures_from_one_edition(
    edition: str, given_: str, of: str
) -> None:
    r = em.load(region="US-CAMX", edition=edition).convert(given_, "co2e", of=of)
    assert r.region == "US-CAMX"
    assert edition in r.editions
    uses = [p for step in r.steps for p in step.parameters]
    egrid = [p for p in uses if p.source is not None and "eGRID" in p.source.title]
    assert egrid  # every path to co2e here goes through an electricity rate
    for use in egrid:
        assert use.edition == use.source.edition == edition, use
    # no national rate of the EPA pack is left on the way: not AVERT, not eGRID2019
    assert not any(p.source and p.source.key in {"avert_2019", "egrid_2019"} for p in uses)
    names = {p.name for p in uses}
    if of in {"electricity_consumed", "electricity_avoided"}:
        assert r.editions == (edition,)
        assert names <= {"egrid_co2_rate", "td_loss_fraction", "avoided_co2_rate"}


def test_explain_names_the_region_and_edition() -> None:
    text = em.load(region="US-CAMX").convert("1 MWh", "co2e").explain()
    assert "figures for region US-CAMX, edition eGRID2023" in text
    assert "avoided_co2_rate = 1,034" in text
    assert "GHG Emission Factors Hub 2025" in text


# --- (e) the U.S. as before, or at an eGRID edition's U.S. average -------------------------------


def test_the_us_without_an_edition_is_the_epa_pack_alone() -> None:
    default, us = em.load(), em.load(region="US")
    assert us is default
    assert _environment(us) == (("epa_ghg", "AVERT2019-eGRID2019"),)
    assert {p.name for p in us.catalog.packs}.isdisjoint({"egrid2022", "egrid2023"})
    # EPA's page: 884.2 lb/MWh / (1 - 0.073) and AVERT's 1,562.4 lb/MWh
    used = us.convert("1 MWh", "co2e", of="electricity_consumed")
    assert used.magnitude == pytest.approx(884.2 / 0.927 / LB_PER_T, rel=1e-12)
    assert us.convert("1 MWh", "co2e").magnitude == pytest.approx(1562.4 / LB_PER_T, rel=1e-12)
    assert used.editions == ("AVERT2019-eGRID2019",)


@pytest.mark.parametrize(
    ("edition", "rate", "loss", "non_baseload"),
    [("eGRID2022", 823.149, 0.051, 1405.322), ("eGRID2023", 771.523, 0.042, 1393.7)],
)
def test_the_us_at_an_egrid_edition_is_its_us_average_row(
    edition: str, rate: float, loss: float, non_baseload: float
) -> None:
    engine = em.load(region="US", edition=edition)
    assert engine.region == "US"
    used = engine.convert("1 MWh", "co2e", of="electricity_consumed")
    # eGRID2022: 823.149 / 0.949 = 867.386 lb = 0.393440 t (EPA's page, second-hand: 3.94e-4/kWh)
    assert used.magnitude == pytest.approx(rate / (1 - loss) / LB_PER_T, rel=1e-12)
    saved = engine.convert("1 MWh", "co2e")
    assert saved.magnitude == pytest.approx(non_baseload / LB_PER_T, rel=1e-12)
    assert [p.edition for s in used.steps for p in s.parameters] == [edition, edition]


def test_the_us_at_an_egrid_edition_is_labelled_with_it() -> None:
    # the overlay's U.S. average row is as specific as the EPA pack's own figures: the
    # parameter's edition names the step
    r = em.load(region="US", edition="eGRID2022").convert("1 MWh", "co2e")
    assert r.editions == ("eGRID2022",)


def test_a_subregion_with_only_a_national_edition_named_is_an_error() -> None:
    # never the national figures for a subregion, and never a default overlay the caller
    # did not name
    with pytest.raises(em.InputValueError, match=r"have no figures for region 'US-CAMX'") as e:
        em.load(region="US-CAMX", edition="AVERT2019-eGRID2019")
    assert "'eGRID2022', 'eGRID2023'" in str(e.value)


# --- (f) what is not there -----------------------------------------------------------------------


def test_an_unknown_subregion_lists_the_known_ones() -> None:
    with pytest.raises(em.InputLookupError, match="US-XXXX") as caught:
        em.load(region="US-XXXX")
    message = str(caught.value)
    assert all(f"US-{code}" in message for code in SUBREGIONS)
    assert "US," in message


def test_an_edition_the_region_lacks_is_refused() -> None:
    with pytest.raises(em.InputValueError, match="eGRID2021") as caught:
        em.load(region="US-CAMX", edition="eGRID2021")
    assert "'eGRID2022'" in str(caught.value)
    assert "'eGRID2023'" in str(caught.value)


def test_regions_lists_every_subregion_with_both_editions() -> None:
    infos = {info.code: info for info in em.regions()}
    for code in SUBREGIONS:
        info = infos[f"US-{code}"]
        assert {edition for _, edition, _ in info.editions} == {"eGRID2022", "eGRID2023"}
    assert infos["US-CAMX"].name == "WECC California"


# --- the overlays' worked examples, at their region and the overlay's edition --------------------


def _examples() -> list[tuple[str, dict[str, Any]]]:
    return [(e, ex) for e in EDITIONS for ex in pack(e)["examples"]]


@pytest.mark.parametrize(
    ("edition", "example"),
    _examples(),
    ids=[f"{e}-{x['region']}-{x.get('of', 'avoided')}" for e, x in _examples()],
)
def test_worked_example(edition: str, example: dict[str, Any]) -> None:
    engine = em.load(region=example["region"], edition=edition)
    r = engine.convert(example["given"], example["to"], of=example.get("of"))
    value, unit = example["expect"].split()
    assert r.unit == unit
    assert math.isclose(r.magnitude, float(value), rel_tol=example["tolerance"])
