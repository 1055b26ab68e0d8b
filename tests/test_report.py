"""Periodic value reports: figures checked by hand, e-mail-safe HTML, a PDF printed by headless
Chromium and read back, and the e-mail sent through a real SMTP server and read back."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import shutil
import smtplib
import socket
import subprocess
import sys
from email.message import EmailMessage
from html import escape
from pathlib import Path
from typing import Any

import attrs
import pytest

import equivmetrics as em
from equivmetrics._integrations.cli import main
from equivmetrics._integrations.report_values import parse_values, read_values
from equivmetrics.report import CHART_CID, ValueReport, build_report, report_email, report_pdf

MONTHS = {"2025-01": 12000, "2025-02": 13500}


def _need_chromium() -> None:
    if shutil.which("chromium") or os.environ.get("EQUIVMETRICS_CHROMIUM"):
        return
    message = "chromium is not installed (Debian: apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must print the PDF")
    pytest.skip(message)


@pytest.fixture(scope="module")
def report() -> ValueReport:
    return build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction")


@pytest.fixture(scope="module")
def pdf(report: ValueReport) -> bytes:
    _need_chromium()
    return report_pdf(report)


def test_without_matplotlib_the_report_shows_the_charts_values_as_text(
    report: ValueReport, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The plain install has no [charts] extra: the report, its HTML, text, e-mail and the
    command line work, with the trend chart's title and values (its text alternative) where
    the picture would be; a chart asked for on its own still needs matplotlib."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    bare = build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction")
    assert bare.chart.data is None
    assert (bare.chart.title, bare.chart.alt) == (report.chart.title, report.chart.alt)
    assert bare.figures() == report.figures()
    assert bare.text() == report.text()
    page = bare.html()
    assert "<img" not in page
    assert f">{escape(report.chart.alt)}</p>" in page
    message = report_email(bare, sender="a@example.com", to="b@example.com", pdf=b"%PDF-1.4")
    assert [part.get_content_type() for part in message.walk() if part.get_filename()] == [
        "application/pdf"
    ]  # no chart.png
    assert main(["report", "--values", "2025-01:12000,2025-02:13500", "--unit", "transaction"]) == 0
    assert (
        "Hours of manual work per period, over 2 periods. 2025-01: 600" in capsys.readouterr().out
    )
    series = em.load().series(MONTHS, "manual_work", of="transaction", unit="transaction")
    with pytest.raises(ImportError):
        em.render_chart(series)
    words = em.render_chart(series, draw=False)
    assert words.data is None
    # 12,000 and 13,500 transactions at 3 (1-10) minutes each, worked by hand
    assert words.alt == (
        "manual work per period, in hour, over 2 periods. 2025-01: 600 (range 200–2,000); "
        "2025-02: 675 (range 225–2,250)."
    )


def test_the_totals_are_the_hand_checked_ones(report: ValueReport) -> None:
    # 12,000 + 13,500 = 25,500 transactions; x 3 min = 76,500 min = 1,275 h
    assert report.cumulative_input == 25500
    assert report.cumulative.magnitude == pytest.approx(1275)
    assert report.cumulative.unit == "hour"
    # the period reported is the last: 13,500 x 3 min = 675 h
    assert report.period.label == "2025-02"
    assert report.input_total == 13500
    assert report.total.magnitude == pytest.approx(675)
    # the kinds are named by their packs' labels; the label says the unit (hours)
    assert report.figures() == [
        ("Transactions processed in 2025-02", "13,500"),
        ("Hours of manual work in 2025-02", "675"),
        ("Transactions processed since 2025-01", "25,500"),
        ("Hours of manual work since 2025-01", "1,275"),
    ]
    assert report.feel_good
    assert report.action
    assert "2025-01: 600" in report.chart.alt
    assert "2025-02: 675" in report.chart.alt


def test_since_and_period_choose_the_months() -> None:
    months = {"2025-01": 1000, "2025-02": 2000, "2025-03": 4000, "2025-04": 8000}
    r = build_report(
        em.load(), months, "manual_work", of="transaction", unit="transaction",
        period="2025-03", since="2025-02", trend=2,
    )  # fmt: skip
    assert r.cumulative_input == 6000  # February and March; April comes after
    assert r.cumulative.magnitude == pytest.approx(300)  # 6,000 x 3 min
    assert r.since == "2025-02"
    assert "over 2 periods" in r.chart.alt
    assert "2025-01" not in r.chart.alt
    with pytest.raises(em.InputValueError, match="not one of"):
        build_report(em.load(), months, "manual_work", of="transaction",
                     unit="transaction", period="2024-12")  # fmt: skip


def test_a_capacity_report_counts_staff_years() -> None:
    r = build_report(em.load(), MONTHS, "fte", of="transaction", unit="transaction")
    assert r.cumulative.unit == "FTE*year"
    assert r.cumulative.magnitude == pytest.approx(1275 / 1878.5, rel=1e-3)


def test_the_html_is_safe_for_e_mail(report: ValueReport) -> None:
    page = report.html()
    lowered = page.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "<link" not in lowered
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", lowered)
    assert "url(" not in lowered
    assert '<html lang="en">' in page
    assert 'name="viewport"' in page
    assert "Content-Security-Policy\" content=\"default-src 'none';" in page
    assert "max-width:600px" in page
    assert page.count('src="data:image/png;base64,') == 1
    for tag in re.findall(r"<(h1|h2|table|ul|li|img|main|body)\b[^>]*>", page):
        assert tag
    assert all(" style=" in t for t in re.findall(r"<(?:h1|h2|table|ul|li|img|main)\b[^>]*>", page))
    assert 'alt="Hours of manual work per period, over 2 periods.' in page
    mail = report.html(chart_src=f"cid:{CHART_CID}")
    assert 'src="data:' not in mail
    assert f'src="cid:{CHART_CID}"' in mail


def test_the_html_escapes_what_callers_and_packs_give() -> None:
    r = build_report(
        em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
        title='<script>alert("x")</script> & co', locale="en",
    )  # fmt: skip
    page = r.html()
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    assert r.text().startswith('<script>alert("x")</script> & co')  # plain text is not HTML


def test_the_pdf_prints_the_report(pdf: bytes) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    assert pdf.startswith(b"%PDF-")
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        page = document[0]
        text = page.get_textpage().get_text_range()
        for words in ("Value report, 2025-02", "25,500", "1,275", "What it is worth"):
            assert words in text
        image = page.render(scale=1).to_pil().convert("L")
        dark = sum(image.histogram()[:128])
        assert dark > 0.005 * image.width * image.height  # ink, not a blank page
        chart = image.crop((0, image.height * 45 // 100, image.width, image.height * 3 // 4))
        assert sum(chart.histogram()[:128]) > 0.01 * chart.width * chart.height  # the chart
    finally:
        document.close()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_e_mail_goes_through_a_real_smtp_server(report: ValueReport, pdf: bytes) -> None:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    message = report_email(
        report, sender="reports@example.com", to=["cfo@example.com", "ops@example.com"],
        subject="Your February value report", pdf=pdf,
    )  # fmt: skip
    inbox = _Inbox()
    controller = controller_module.Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with smtplib.SMTP(controller.hostname, controller.port, timeout=30) as smtp:
            refused = smtp.send_message(message)
    finally:
        controller.stop()
    assert refused == {}
    ((sender, recipients, raw),) = inbox.messages
    assert sender == "reports@example.com"
    assert recipients == ["cfo@example.com", "ops@example.com"]
    got = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(got, EmailMessage)
    assert got["Subject"] == "Your February value report"
    types = [part.get_content_type() for part in got.walk()]
    assert types == [
        "multipart/mixed", "multipart/alternative", "text/plain", "multipart/related",
        "text/html", "image/png", "application/pdf",
    ]  # fmt: skip
    plain = got.get_body(("plain",))
    html = got.get_body(("html",))
    assert plain is not None
    assert "1,275" in plain.get_content()
    assert html is not None
    assert f'src="cid:{CHART_CID}"' in html.get_content()
    image = next(p for p in got.walk() if p.get_content_type() == "image/png")
    assert image["Content-ID"] == f"<{CHART_CID}>"
    assert image.get_content() == report.chart.data
    (attachment,) = got.iter_attachments()
    assert attachment.get_filename() == "value-report.pdf"
    assert attachment.get_content() == pdf


def test_parse_values() -> None:
    assert parse_values("2025-01:12000, 2025-02:13500") == [
        ("2025-01", 12000.0),
        ("2025-02", 13500.0),
    ]
    with pytest.raises(Exception, match="PERIOD:TOTAL"):
        parse_values("2025-01=12000")


def test_the_command_line_writes_html_pdf_and_eml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _need_chromium()
    html, pdf, eml = (tmp_path / n for n in ("r.html", "r.pdf", "r.eml"))
    code = main([
        "report", "--values", "2025-01:12000,2025-02:13500", "--unit", "transaction",
        "--html", str(html), "--pdf", str(pdf), "--eml", str(eml),
        "--from", "reports@example.com", "--email-to", "cfo@example.com",
    ])  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.count("wrote ") == 3
    assert "1,275" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF-")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    (attachment,) = message.iter_attachments()
    assert attachment.get_content() == pdf.read_bytes()


def test_the_command_line_prints_text_without_files(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--values", "2025-01:12000,2025-02:13500", "--unit", "transaction"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("Value report, 2025-02\n")
    assert "Hours of manual work since 2025-01: 1,275" in out


def test_eml_needs_addresses(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--values", "2025-01:1", "--unit", "transaction",
              "--eml", str(tmp_path / "r.eml")])  # fmt: skip
    assert exit_info.value.code == 2


FIVE_MONTHS = [("2025-01", 12000), ("2025-02", 13500), ("2025-03", 12800), ("2025-04", 14100),
               ("2025-05", 15200)]  # fmt: skip


def test_a_quarter_sums_its_months_and_counts_its_days() -> None:
    r = build_report(
        em.load(), FIVE_MONTHS, "fte", of="transaction", unit="transaction",
        by="quarter", period="2025-Q1",
    )  # fmt: skip
    # 12,000 + 13,500 + 12,800 = 38,300 x 3 min = 1,915 h in 90 days (January to March 2025):
    # 1,915 x 365.25 / 90 / 1,878.5 h a year = 4.137 FTE; and 1,915 / 1,878.5 = 1.019 FTE-years
    assert r.input_total == 38300
    assert (r.period.start.isoformat(), r.period.end.isoformat(), r.period.days) == (
        "2025-01-01", "2025-04-01", 90,
    )  # fmt: skip
    assert r.total.magnitude == pytest.approx(1915 * 365.25 / 90 / 1878.5, rel=1e-3)
    assert r.cumulative.magnitude == pytest.approx(1915 / 1878.5, rel=1e-3)
    last = build_report(em.load(), FIVE_MONTHS, "manual_work", of="transaction",
                        unit="transaction", by="quarter")  # fmt: skip
    assert last.period.label == "2025-Q2 to date"  # April and May
    assert last.input_total == 29300
    assert last.cumulative_input == 67600
    assert "2025-Q1: 1,920 (range" in last.chart.alt or "2025-Q1: 1,915" in last.chart.alt


def test_a_year_to_date_ends_after_its_last_month() -> None:
    r = build_report(em.load(), FIVE_MONTHS, "manual_work", of="transaction",
                     unit="transaction", by="year")  # fmt: skip
    assert r.period.label == "2025 to date"
    assert r.period.end.isoformat() == "2025-06-01"
    assert r.input_total == 67600
    assert r.total.magnitude == pytest.approx(3380)  # 67,600 x 3 min
    assert r.title == "Value report, 2025 to date"


def test_only_months_roll_up() -> None:
    with pytest.raises(em.InputValueError, match="not a month"):
        build_report(em.load(), {"2025-01-05": 3}, "manual_work", of="transaction",
                     unit="transaction", by="quarter")  # fmt: skip


def test_a_german_report_speaks_german_and_marks_english() -> None:
    r = build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
                     locale="de")  # fmt: skip
    assert r.title == "Wertbericht, 2025-02"
    # the productivity pack's German labels; 1,275 h written the German way
    assert dict(r.figures())["Stunden manuelle Arbeit seit 2025-01"] == "1.275"
    assert dict(r.figures())["Verarbeitete Transaktionen im Zeitraum 2025-02"] == "13.500"
    page = r.html()
    assert '<html lang="de">' in page
    assert 'lang="en"' not in page  # nothing English left to mark
    assert "Was es wert ist" in page
    assert '<li lang="de"' in page
    assert r.chart.language == "de"
    assert r.chart.title == "Stunden manuelle Arbeit je Zeitraum"
    assert r.chart.alt.startswith(
        "Stunden manuelle Arbeit je Zeitraum, über 2 Zeiträume. 2025-01: 600 (Bandbreite "
    )
    assert "Was zu tun ist:" in r.text()


def test_a_language_without_words_is_an_english_report() -> None:
    r = build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
                     locale="it")  # fmt: skip
    assert r.lang == "en"
    assert r.title == "Value report, 2025-02"
    assert '<html lang="en">' in r.html()


def test_pack_wording_is_escaped(report: ValueReport) -> None:
    hostile = attrs.evolve(
        report.feel_good[0], text='<img src="https://evil.example/x.png" onerror="alert(1)">'
    )
    page = attrs.evolve(report, feel_good=(hostile,)).html()
    assert '<img src="https://' not in page
    assert (
        "&lt;img src=&quot;https://evil.example/x.png&quot; onerror=&quot;alert(1)&quot;&gt;"
        in page
    )


def test_a_phone_shows_one_column_without_overflow(report: ValueReport, tmp_path: Path) -> None:
    _need_chromium()
    from PIL import Image

    page, shot = tmp_path / "report.html", tmp_path / "phone.png"
    page.write_text(report.html(), encoding="utf-8")
    profile = tmp_path / "profile"
    chromium = shutil.which("chromium") or os.environ["EQUIVMETRICS_CHROMIUM"]
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--window-size=375,1400", f"--screenshot={shot}",
         page.as_uri()],
        capture_output=True, timeout=120, check=False, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    image = Image.open(shot).convert("L")
    assert image.width == 375
    edge = image.crop((image.width - 8, 0, image.width, image.height))
    assert edge.getextrema() == (255, 255)  # nothing runs off the right edge
    body = image.crop((0, 0, image.width - 8, image.height))
    darkest, _ = body.getextrema()
    assert isinstance(darkest, int)
    assert darkest < 64  # and there is text and the chart


_UNTRANSLATED = """\
equivmetrics: 1
name: support_desk_test
edition: "1"
license: MIT
sources:
  s: {title: Test source}
units:
  ticket: {definition: "[ticket]"}
kinds:
  ticket: {unit: ticket, input_units: [ticket], label: {one: ticket, other: tickets}}
  agent_time:
    unit: hour
    label: {one: hour of agent time, other: hours of agent time}
rules:
  - {id: handling, from: ticket, to: agent_time, factor: 6 minute/ticket, source: s}
"""


def test_a_kind_its_pack_does_not_translate_is_english_and_marked(tmp_path: Path) -> None:
    pack = tmp_path / "desk.yaml"
    pack.write_text(_UNTRANSLATED, encoding="utf-8")
    engine = em.load(pack)
    r = build_report(engine, {"2025-01": 100, "2025-02": 50}, "agent_time", of="ticket",
                     unit="ticket", locale="de")  # fmt: skip
    # 150 tickets x 6 min = 900 min = 15 h since January; February 50 x 6 min = 5 h
    assert r.figures() == [
        ("Tickets im Zeitraum 2025-02", "50"),
        ("Hours of agent time im Zeitraum 2025-02", "5"),
        ("Tickets seit 2025-01", "150"),
        ("Hours of agent time seit 2025-01", "15"),
    ]
    page = r.html()
    assert '<span lang="en">Hours of agent time</span> seit 2025-01' in page
    # the chart speaks one language: English words for an English label, German numbers
    assert r.chart.language == "en"
    assert r.chart.title == "Hours of agent time per period"
    assert '<img lang="en"' in page
    assert '<h2 lang="en"' in page


def test_money_rows_are_amounts_in_their_currency() -> None:
    r = build_report(em.load(), MONTHS, "labor_cost", of="transaction", unit="transaction")
    # 675 h x $45.65 an hour (private industry, hours worked) = $30,813.75
    assert dict(r.figures())["Labour cost in 2025-02"] == "$30,814"
    # 1,275 h x $45.65 = $58,203.75
    assert dict(r.figures())["Labour cost since 2025-01"] == "$58,204"


def test_a_capacitys_total_says_its_unit() -> None:
    r = build_report(em.load(), MONTHS, "fte", of="transaction", unit="transaction")
    figures = dict(r.figures())
    # February: 675 h in 28 days; 675 x 365.25 / 28 / 1,878.5 h a year = 4.687 staff
    assert figures["Full-time employees in 2025-02"] == "4.69"
    # since January: 1,275 h / 1,878.5 h a staff-year = 0.6787 staff-years
    assert figures["Full-time employees since 2025-01"] == "0.679 FTE·year"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("totals.csv", "period,total\n2025-01,12000\n\n2025-02,13500\n"),
        ("totals.csv", "2025-01,12000\r\n2025-02,13500\r\n"),  # no header, Windows lines
        ("totals.csv", "\ufeffPeriod;Total\n2025-01;12000\n2025-02;13500\n"),  # Excel's
        ("totals.tsv", "period\ttotal\n2025-01\t12000\n2025-02\t13500\n"),
        ("totals.json", '{"2025-01": 12000, "2025-02": 13500}'),
        ("totals.json", '[["2025-01", 12000], ["2025-02", "13500"]]'),
        ("totals.json", '[{"period": "2025-01", "total": 12000},'
                        ' {"period": "2025-02", "total": 13500}]'),
    ],
)  # fmt: skip
def test_totals_files_are_read(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert read_values(str(path)) == [("2025-01", 12000.0), ("2025-02", 13500.0)]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("t.csv", "period,total\n2025-01,12k\n", r"t\.csv', line 2: cannot read '2025-01,12k'"),
        ("t.csv", "2025-01,1\n2025-02,2,3\n", r"line 2: cannot read '2025-02,2,3'"),
        ("t.csv", "2025-01,1\n,2\n", r"line 2: cannot read ',2'"),
        ("t.csv", "2025-01,1\n2025-02,inf\n", r"line 2: cannot read '2025-02,inf'"),
        ("t.csv", "period,total\n", r"no totals in it"),
        ("t.json", '{"2025-01": true}', r"entry 1: cannot read \('2025-01', True\)"),
        ("t.json", '[["2025-01", 1], ["", 2]]', r"entry 2: cannot read \['', 2\]"),
        ("t.json", '{"2025-01": 1,}', r"t\.json', line 1: not JSON"),
        ("t.json", '"2025-01"', r"write an object of PERIOD: TOTAL"),
        ("t.json", "{}", r"no totals in it"),
        ("t.tsv", "period\ttotal\n2025-01\tmany\n",
         r"line 2: cannot read '2025-01\\tmany': write the period and its total separated by tab"),
        ("t.csv", "period;total\n2025-01;12.000\n2025-02;7\n",
         r"line 2: '12.000' could be 12000 \(dots separating thousands\) or 12 \(a decimal"),
        # "0,125" is no thousands grouping in a comma-separated file: refused, not read as 125
        ("t.csv", 'period,total\n2025-01,"0,125"\n', r"line 2: cannot read '2025-01,0,125'"),
        # an English tab export's 1,250: thousands, or a decimal comma? Nothing else tells
        ("t.tsv", "period\ttotal\n2025-01\t1,250\n2025-02\t7\n",
         r"line 2: '1,250' could be 1250 \(commas separating thousands\) or 1\.25 \(a decimal "
         r"comma\), and the file's other totals do not tell which"),
        # an unsettled first row is no header: it is refused, not skipped
        ("t.csv", "2025-01;12.000\n2025-02;7\n", r"line 1: '12.000' could be 12000"),
    ],
)  # fmt: skip
def test_unreadable_totals_name_the_file_and_line(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(em.InputValueError, match=message) as info:
        read_values(str(path))
    assert isinstance(info.value, em.EquivMetricsError)


def test_totals_that_are_not_utf8_or_missing_say_so(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Zeitraum,Summe\n2025-01,1\n# \xe9\n".encode("latin-1"))
    with pytest.raises(em.InputValueError, match=r"not UTF-8 text \(at byte offset 27\); save"):
        read_values(str(latin))
    accented = tmp_path / "accented.csv"
    accented.write_bytes("Zeitraum,Summé\n2025-01,1\n".encode("latin-1"))
    assert read_values(str(accented), "latin-1") == [("2025-01", 1.0)]  # its encoding given
    with pytest.raises(em.InputValueError, match=r"cannot read '.*nowhere\.csv': No such file"):
        read_values(str(tmp_path / "nowhere.csv"))


def test_the_command_line_reads_totals_from_a_file_or_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    path = tmp_path / "totals.csv"
    path.write_text("period,total\n2025-01,12000\n2025-02,13500\n", encoding="utf-8")
    assert main(["report", "--input", str(path), "--unit", "transaction"]) == 0
    from_file = capsys.readouterr().out
    assert "Hours of manual work since 2025-01: 1,275" in from_file
    stdin = io.TextIOWrapper(io.BytesIO(b'{"2025-01": 12000, "2025-02": 13500}'))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["report", "--input", "-", "--unit", "transaction"]) == 0
    assert capsys.readouterr().out == from_file


def test_values_and_input_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["report", "--unit", "transaction"],
        ["report", "--values", "2025-01:1", "--input", "x.csv", "--unit", "t"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert "--values" in capsys.readouterr().err


# -- the scorecard section ---------------------------------------------------------------------

TEAMS = Path(__file__).resolve().parent.parent / "docs" / "examples"


@pytest.fixture(scope="module")
def with_card() -> ValueReport:
    import csv

    tenant = em.load(TEAMS / "cs_scorecard.yaml")
    with (TEAMS / "teams.csv").open(newline="", encoding="utf-8") as f:
        card = tenant.scorecard(list(csv.DictReader(f)), tolerance=0.05)
    return build_report(tenant, {"2026-02": 12000, "2026-03": 13500}, "manual_work",
                        of="transaction", unit="transaction", scorecard=card)  # fmt: skip


def test_the_scorecard_section_says_the_hand_worked_figures(with_card: ValueReport) -> None:
    text = with_card.text()
    # docs/adoption.md: (45 + 30 + 10) / 120 = 70.8 %, up 6 / 120 = 5 points from February
    assert "Active users: 70.8 % (Target 80.0 %; off target; +5.00 points since 2026-02)" in text
    assert "  - Support: Active users 60.0 %, reference 70.0 %" in text
    assert "  If Support and Billing used it like the rest:" in text
    # 20 + 25 = 45 hours a month; 45 x 12 / 1,878.5 = 0.287 FTE
    assert "  - 45.0 hours of manual work that automation would free a month" in text
    assert "  - 0.287 full-time employees tied up by manual work" in text
    page = with_card.html()
    assert page.count("<section") == 1
    section = page[page.index("<section") :]
    assert "Scorecard, 2026-03" in section
    assert "<style" not in page.lower()  # still inline styles only
    assert all(" style=" in t for t in re.findall(r"<(?:h2|h3|table|ul|li|th|td)\b[^>]*>", section))
    data = json.loads(json.dumps(with_card.to_dict()))
    assert data["scorecard"]["schema"] == "equivmetrics.scorecard/1"
    assert [w["team"] for w in data["scorecard"]["weak_links"]] == ["Support", "Billing"]


def test_a_german_report_has_a_german_scorecard_section() -> None:
    tenant = em.load(TEAMS / "cs_scorecard.yaml")
    data = {
        "2026-03": {
            "A": {"active_users": 45, "licensed_seats": 50, "hours_saved": 180},
            "B": {"active_users": 10, "licensed_seats": 20, "hours_saved": 50},
            "C": {"active_users": 40, "licensed_seats": 50, "hours_saved": 160},
        }
    }
    card = tenant.scorecard(data, locale="de")
    r = build_report(tenant, {"2026-02": 12000, "2026-03": 13500}, "manual_work",
                     of="transaction", unit="transaction", locale="de", scorecard=card)  # fmt: skip
    text = r.text()
    # B: 0.5 against the median of 0.9 and 0.8 = 0.85; one team: the verb in the singular
    assert "Wenn B es wie die anderen nutzen würde:" in text
    assert "Kennzahlenübersicht, 2026-03" in text
    assert '<section style="margin:24px 0 0">' in r.html()  # German in a German page


def test_the_scorecard_must_be_a_scorecard() -> None:
    with pytest.raises(em.InputTypeError, match=r"scorecard= must be a Scorecard .* got dict"):
        build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
                     scorecard={"weak_links": []})  # type: ignore[arg-type]  # fmt: skip


def test_the_command_line_adds_the_scorecard(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "--values", "2026-02:12000,2026-03:13500", "--unit", "transaction",
                 "--pack", str(TEAMS / "cs_scorecard.yaml"),
                 "--scorecard", str(TEAMS / "teams.csv")])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "Scorecard, 2026-03" in out
    assert "Weak links:" in out


def test_a_phone_shows_the_scorecard_section_in_one_column(
    with_card: ValueReport, tmp_path: Path
) -> None:
    test_a_phone_shows_one_column_without_overflow(with_card, tmp_path)


# -- what a report refuses (found by a new user's trial) ---------------------------------------


def test_totals_too_large_to_add_are_refused_not_a_crash() -> None:
    with pytest.raises(em.InputValueError, match="add up to more than a number can hold"):
        build_report(em.load(), {"2026-02": 1e308, "2026-03": 1e308}, "manual_work",
                     of="transaction", unit="transaction")  # fmt: skip


def test_a_negative_total_says_to_correct_it_without_options_it_lacks() -> None:
    with pytest.raises(em.NegativeValueError) as info:
        build_report(em.load(), {"2026-02": -5, "2026-03": 10}, "manual_work",
                     of="transaction", unit="transaction")  # fmt: skip
    message = str(info.value)
    assert "-5 transaction is negative" in message
    assert "correct that total" in message
    assert "--negative" not in message
    assert "negative=" not in message


def test_a_quarter_to_date_is_named_by_its_quarter() -> None:
    months = {"2025-01": 1, "2025-02": 1, "2025-03": 1, "2025-04": 1}
    r = build_report(em.load(), months, "manual_work", of="transaction", unit="transaction",
                     by="quarter", period="2025-Q2")  # fmt: skip
    assert r.period.label == "2025-Q2 to date"


def test_since_inside_a_period_is_refused_with_the_period_to_give() -> None:
    months = {"2025-01": 1, "2025-02": 1, "2025-03": 1, "2025-04": 1}
    with pytest.raises(em.InputValueError, match=r"falls inside the period 2025-03 .* "
                       r"give since='2025-03'"):  # fmt: skip
        build_report(em.load(), months, "manual_work", of="transaction", unit="transaction",
                     since="2025-03-15")  # fmt: skip
    r = build_report(em.load(), months, "manual_work", of="transaction", unit="transaction",
                     since="2025-03-01")  # fmt: skip
    assert r.since == "2025-03"
    assert r.cumulative_input == 2  # March and April


@pytest.mark.parametrize("trend", [0, -1, 1.5, True])
def test_trend_must_be_a_count_of_periods(trend: object) -> None:
    with pytest.raises(em.InputValueError, match="trend= is how many periods the chart shows"):
        build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
                     trend=trend)  # type: ignore[arg-type]  # fmt: skip


def test_a_language_without_words_is_english_numbers_included() -> None:
    r = build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
                     locale="it")  # fmt: skip
    assert r.figures()[0] == ("Transactions processed in 2025-02", "13,500")  # not 13.500
    assert r.lang == "en"


def test_a_scorecard_of_another_period_or_language_is_refused() -> None:
    tenant = em.load(TEAMS / "cs_scorecard.yaml")
    team = {"active_users": 3, "licensed_seats": 4, "hours_saved": 10}
    card = tenant.scorecard({"2026-03": {"A": team, "B": team}})
    with pytest.raises(em.InputValueError, match=r"scorecard is of 2026-03, outside the "
                       r"reported period 2025-02"):  # fmt: skip
        build_report(tenant, MONTHS, "manual_work", of="transaction", unit="transaction",
                     scorecard=card)  # fmt: skip
    with pytest.raises(em.InputValueError, match=r"worded in 'en' and the report in 'de'.*"
                       r"locale='de'"):  # fmt: skip
        build_report(tenant, {"2026-03": 5}, "manual_work", of="transaction",
                     unit="transaction", locale="de", scorecard=card)  # fmt: skip
    # a month's scorecard within a quarter's report is that quarter's
    quarter = build_report(tenant, {"2026-01": 1, "2026-02": 1, "2026-03": 1}, "manual_work",
                           of="transaction", unit="transaction", by="quarter",
                           scorecard=card)  # fmt: skip
    assert quarter.scorecard is card


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('period,total\n2025-01,"12,000"\n2025-02,"1,234,567.5"\n', [12000.0, 1234567.5]),
        ("Zeitraum;Summe\n2025-01;12000,5\n2025-02;1.234.567,25\n", [12000.5, 1234567.25]),
        ("period\ttotal\n2025-01\t12 000\n2025-02\t3,5\n", [12000.0, 3.5]),
        ("period;total\n2025-01;12.000\n2025-02;7,5\n", [12000.0, 7.5]),  # German thousands
        # a leading 0 is no thousands group: a decimal, whatever the file writes elsewhere
        ("period;total\n2025-01;0.125\n2025-02;7\n", [0.125, 7.0]),
        ("period;total\n2025-01;0.125\n2025-02;7,5\n", [0.125, 7.5]),
        ("period\ttotal\n2025-01\t1,250\n2025-02\t3.5\n", [1250.0, 3.5]),  # 3.5 settles it
        ("period\ttotal\n2025-01\t1,250\n2025-02\t3,5\n", [1.25, 3.5]),
        ("period;total\n2025-01;1.250.000\n2025-02;7\n", [1250000.0, 7.0]),  # only thousands
    ],
)
def test_spreadsheet_exports_are_read_as_they_come(
    tmp_path: Path, text: str, expected: list[float]
) -> None:
    path = tmp_path / "totals.csv"
    path.write_text(text, encoding="utf-8")
    assert [total for _, total in read_values(str(path))] == expected


def test_a_period_given_twice_is_refused_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("period,total\n2025-01,1\n2025-02,2\n2025-01,3\n", encoding="utf-8")
    with pytest.raises(em.InputValueError, match=r"line 4: period 2025-01 is given twice "
                       r"\(first on line 2\)"):  # fmt: skip
        read_values(str(path))
    for text in ('{"2025-01": 1, "2025-01": 2}', '[["2025-01", 1], ["2025-01", 2]]'):
        path = tmp_path / "t.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(em.InputValueError, match="period '2025-01' is given twice"):
            read_values(str(path))


@pytest.mark.parametrize(
    ("sender", "to", "message"),
    [
        ("reports@example.com", "not an address", r"to= 'not an address' is not an e-mail"),
        ("reports", "cfo@example.com", r"sender= 'reports' is not an e-mail address"),
        ("reports@example.com", ["cfo@example.com", "x@y"], r"to= 'x@y' is not an e-mail"),
    ],
)
def test_e_mail_addresses_are_checked(
    report: ValueReport, sender: str, to: str | list[str], message: str
) -> None:
    with pytest.raises(em.InputValueError, match=message):
        report_email(report, sender=sender, to=to, pdf=b"%PDF-1.4")
    named = report_email(report, sender="Reports <reports@example.com>", to="cfo@example.com",
                         pdf=b"%PDF-1.4")  # fmt: skip
    assert named["From"] == "Reports <reports@example.com>"


def test_a_chromium_that_is_not_there_is_named(
    report: ValueReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EQUIVMETRICS_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(em.InputValueError, match=r"EQUIVMETRICS_CHROMIUM names "
                       r"'/nonexistent/chromium', which is not an executable file"):  # fmt: skip
        report_pdf(report)


def test_a_french_report_writes_french_punctuation() -> None:
    r = build_report(em.load(), MONTHS, "manual_work", of="transaction", unit="transaction",
                     locale="fr")  # fmt: skip
    text = r.text()
    # a narrow no-break space before a colon, as French typography writes it
    assert "Heures de travail manuel pour la période 2025-02\u202f: 675" in text
    assert "Ce que cela vaut\u202f:" in text


def test_the_command_lines_scorecard_is_of_the_reported_month(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["report", "--values", "2026-02:12000,2026-03:13500", "--unit", "transaction",
                 "--at", "2026-02", "--pack", str(TEAMS / "cs_scorecard.yaml"),
                 "--scorecard", str(TEAMS / "teams.csv")])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    # February: (44 + 25 + 10) / 120 = 65.8 % adoption, no earlier month to trend against
    assert "Scorecard, 2026-02" in out
    assert "65.8 %" in out
