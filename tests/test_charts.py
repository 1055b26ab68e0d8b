"""Charts of a series (SVG and PNG through matplotlib), notebook views and Series.to_frame."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pytest

import equivmetrics as em
from htmltree import parse
from test_browser import PNG_SIGNATURE, _run
from test_html import HOSTILE_PACK, SCRIPT

pytest.importorskip("matplotlib")

MONTHS = {"2026-01": 12000, "2026-02": 12000, "2026-03": 6000}


@pytest.fixture(scope="module")
def series() -> em.Series:
    return em.load().series(MONTHS, "fte", of="transaction", unit="transaction")


def _pixels(png: bytes) -> object:
    import matplotlib.image

    return matplotlib.image.imread(io.BytesIO(png), format="png")


def _not_blank(png: bytes) -> None:
    """Many distinct pixels, dark ink among them: something was drawn."""
    import numpy as np

    image = np.asarray(_pixels(png))
    gray = image[..., :3].mean(axis=-1)
    assert gray.std() > 0.02
    assert (gray < 0.3).mean() > 0.002  # dark ink: lines, text, hatching
    assert len(np.unique(gray.round(2))) > 10


# -- SVG ---------------------------------------------------------------------------------------


def test_svg_has_a_title_a_description_and_role_img(series: em.Series) -> None:
    chart = em.render_chart(series)
    assert chart.format == "svg"
    assert isinstance(chart.data, str)
    assert chart.data.startswith("<svg")  # no XML prolog: it embeds in HTML as it is
    svg = parse(chart.data).find("svg")
    assert svg.attrs["role"] == "img"
    title, desc = svg.find("title"), svg.find("desc")
    assert title.text() == chart.title == "fte per period"
    assert desc.text() == chart.alt
    assert svg.attrs["aria-labelledby"] == f"{title.attrs['id']} {desc.attrs['id']}"
    # the text alternative says every period's value, range and the unit
    assert chart.alt.startswith("fte per period, in FTE, over 3 periods. 2026-01: 3.76")
    for period in series.periods:
        assert f"{period.label}: " in chart.alt
    assert "(range 1.25–12.5)" in chart.alt


def test_the_same_chart_is_the_same_bytes(series: em.Series) -> None:
    assert em.render_chart(series).data == em.render_chart(series).data
    assert "<dc:date>" not in str(em.render_chart(series).data)


def test_cumulative_runs_up_to_the_cumulative_result(series: em.Series) -> None:
    chart = series.chart(cumulative=True)
    assert chart.title == "fte, cumulative"
    assert "in FTE*year" in chart.alt
    total = series.cumulative.magnitude
    assert f"2026-03: {total:.3g}" in chart.alt
    # January and February each hold 12000 of the 30000 transactions
    assert f"2026-01: {total * 0.4:.3g}" in chart.alt
    assert f"2026-02: {total * 0.8:.3g}" in chart.alt


def test_a_hostile_title_is_escaped_in_the_svg(series: em.Series) -> None:
    chart = em.render_chart(series, title=f"</title>{SCRIPT} $x$ & co")
    assert SCRIPT not in str(chart.data)
    title = parse(str(chart.data)).find("svg").find("title")
    assert title.text() == f"</title>{SCRIPT} $x$ & co"


def test_numbers_follow_the_locale(series: em.Series) -> None:
    pytest.importorskip("babel")
    big = em.load().series({"2026-01": 1.2e7}, "manual_work", of="transaction", unit="transaction")
    assert "600,000" in em.render_chart(big).alt
    assert "600.000" in em.render_chart(big, locale="de").alt


def test_the_charts_words_follow_the_locale(series: em.Series) -> None:
    pytest.importorskip("babel")
    label = "Vollzeitkräfte"
    chart = series.chart(label=label, locale="de")
    assert chart.language == "de"
    assert chart.title == "Vollzeitkräfte je Zeitraum"
    # with a label the unit is the label's to say; three periods in German, ranges named
    assert chart.alt.startswith("Vollzeitkräfte je Zeitraum, über 3 Zeiträume. 2026-01: 3,76")
    assert "(Bandbreite 1,25–12,5)" in chart.alt
    svg = str(series.chart(label=label, locale="de", cumulative=True).data)
    assert "Vollzeitkräfte, kumuliert" in svg
    one = em.load().series({"2026-01": 12000}, "fte", of="transaction", unit="transaction")
    assert ", über 1 Zeitraum. " in one.chart(label=label, locale="de").alt
    french = one.chart(locale="fr")
    assert french.title == "fte par période"
    assert french.alt.startswith("fte par période, en FTE, sur 1 période. ")


def test_words_in_another_language_than_the_numbers(series: em.Series) -> None:
    pytest.importorskip("babel")
    # an English label in a German report: English words, German numbers
    chart = series.chart(label="Full-time staff", locale="de", language="en")
    assert chart.language == "en"
    assert chart.alt.startswith("Full-time staff per period, over 3 periods. 2026-01: 3,76")
    # a language the library has no words for speaks English
    assert series.chart(locale="it").language == "en"


def test_options_are_checked(series: em.Series) -> None:
    with pytest.raises(em.InputValueError, match="'svg' or 'png'"):
        em.render_chart(series, format="pdf")  # type: ignore[arg-type]
    with pytest.raises(em.InputTypeError, match="title="):
        em.render_chart(series, title=3)  # type: ignore[arg-type]
    with pytest.raises(em.InputTypeError, match="label= must be text, got int"):
        em.render_chart(series, label=3)  # type: ignore[arg-type]
    with pytest.raises(em.InputTypeError, match="language= must be text, got list"):
        em.render_chart(series, language=["de"])  # type: ignore[arg-type]


def test_the_host_matplotlib_state_is_untouched(series: em.Series) -> None:
    import matplotlib as mpl

    before = dict(mpl.rcParams)
    backend = mpl.get_backend()
    em.render_chart(series)
    em.render_chart(series, cumulative=True, format="png")
    assert dict(mpl.rcParams) == before
    assert mpl.get_backend() == backend
    import sys

    if "matplotlib.pyplot" in sys.modules:  # no figure left open behind pyplot's back
        import matplotlib.pyplot as plt

        assert plt.get_fignums() == []


def test_the_browser_draws_the_chart(series: em.Series, tmp_path: Path) -> None:
    svg = em.render_chart(series).data
    assert isinstance(svg, str)
    page = tmp_path / "chart.html"
    page.write_text(
        f'<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>chart</title>'
        f'<body style="margin:0;background:#fff">{svg}</body></html>',
        encoding="utf-8",
    )
    png = tmp_path / "chart.png"
    _run(tmp_path, page, f"--screenshot={png}", "--window-size=640,360", "--hide-scrollbars")
    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    _not_blank(data)


# -- PNG ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("cumulative", [False, True])
def test_png_decodes_and_is_not_blank(series: em.Series, cumulative: bool) -> None:
    chart = series.chart(cumulative=cumulative, format="png")
    assert isinstance(chart.data, bytes)
    assert chart.data.startswith(PNG_SIGNATURE)
    assert chart._repr_png_() == chart.data
    assert chart._repr_svg_() is None
    height, width = _pixels(chart.data).shape[:2]  # type: ignore[attr-defined]
    assert (width, height) == (1280, 720)  # 6.4 x 3.6 inches at 200 dpi
    _not_blank(chart.data)


# -- notebooks ---------------------------------------------------------------------------------


def test_result_repr_html_shows_value_range_steps_and_sources() -> None:
    r = em.convert("12000 transaction/month", "fte")
    section = parse(r._repr_html_() or "").find("section")
    text = section.text()
    assert "3.833 FTE" in text
    assert "range 1.278–12.78 FTE" in text
    rows = section.find("tbody").find_all("tr")
    assert [row.find_all("td")[1].text() for row in rows] == [s.rule for s in r.steps]
    links = section.find("details").find_all("li")
    assert len(links) == len(r.sources)


def test_result_repr_html_escapes_hostile_pack_text(tmp_path: Path) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_PACK, encoding="utf-8")
    r = em.load(path, bundled=False).convert("10 kg", "evil")
    markup = r._repr_html_() or ""
    assert "<script" not in markup
    assert "<img" not in markup
    assert "javascript:" not in markup
    assert "data:text/html" not in markup
    section = parse(markup).find("section")
    assert SCRIPT in section.text()  # shown as words
    hrefs = [a.attrs["href"] for a in section.find_all("a")]
    assert hrefs == ["https://example.org/t?a=1&b=2"]


def test_series_repr_html_has_a_table_and_the_chart(series: em.Series) -> None:
    section = parse(series._repr_html_()).find("section")
    table = section.find("table")
    assert table.find("caption").text() == "fte per period"
    rows = table.find("tbody").find_all("tr")
    assert [row.find("th").text() for row in rows] == list(MONTHS)
    assert rows[0].find_all("td")[0].text() == "3.763"
    assert section.find("figure").find("svg").attrs["role"] == "img"


def test_series_repr_html_without_matplotlib_is_the_table(
    series: em.Series, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    section = parse(series._repr_html_()).find("section")
    assert section.find("table") is not None
    assert not section.find_all("figure")


def test_to_frame_columns_and_values(series: em.Series) -> None:
    frame = series.to_frame()
    assert frame.index.name == "period"
    assert list(frame.index) == ["2026-01", "2026-02", "2026-03"]
    assert list(frame.columns) == [
        "start", "end", "days", "input", "value", "low", "high", "unit",
        "cumulative", "cumulative_low", "cumulative_high", "cumulative_unit",
    ]  # fmt: skip
    assert list(frame["days"]) == [31, 28, 31]
    assert list(frame["input"]) == [12000.0, 12000.0, 6000.0]
    # by hand: 12,000 transactions x 3 min = 600 h; a full-time year is 1,878.5 hours worked,
    # and January is 31/365.25 of a year (the library's year)
    fte_january = 600 / 1878.5 / (31 / 365.25)
    assert frame.loc["2026-01", "value"] == pytest.approx(fte_january, rel=1e-3)
    assert frame.loc["2026-01", "unit"] == "FTE"
    # the running total: 600, 1,200 and 1,500 hours, in FTE-years
    assert frame.loc["2026-03", "cumulative"] == pytest.approx(1500 / 1878.5, rel=1e-5)
    assert frame.loc["2026-03", "cumulative"] == series.cumulative.magnitude
    assert frame.loc["2026-01", "cumulative"] == pytest.approx(600 / 1878.5, rel=1e-5)
    assert frame.loc["2026-02", "cumulative"] == pytest.approx(1200 / 1878.5, rel=1e-5)
    assert frame["cumulative_unit"].unique().tolist() == ["FTE*year"]
    assert frame.loc["2026-02", "start"].isoformat() == "2026-02-01"
    assert not math.isnan(frame["high"].sum())


def test_missing_negative_and_zero_periods_still_draw() -> None:
    engine = em.load()
    gaps = engine.series({"2026-01": float("nan"), "2026-02": 5}, "co2e", unit="kWh",
                         of="electricity_consumed", negative="nan")  # fmt: skip
    assert "2026-01: no value; 2026-02: 0.00216" in gaps.chart().alt
    assert gaps.chart(cumulative=True).alt.endswith("2026-02: no value.")
    signed = engine.series({"2026-01": -5, "2026-02": 5}, "co2e", unit="kWh",
                           of="electricity_consumed", negative="allow")  # fmt: skip
    _not_blank(signed.chart(format="png").data)  # type: ignore[arg-type]
    zero = engine.series({"2026": 0}, "co2e", unit="kWh", of="electricity_consumed")
    assert zero.chart(cumulative=True).alt.endswith("over 1 period. 2026: 0.")
