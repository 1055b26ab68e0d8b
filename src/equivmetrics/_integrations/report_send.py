"""A value report as PDF (headless Chromium's print-to-PDF) and as a ready e-mail message.

The PDF is the report's standalone HTML printed by ``chromium --headless --print-to-pdf``: the
same HTML a mail client shows, laid out by a browser engine, with no Python dependency added.
Chromium is found on ``PATH`` (``chromium``, ``chromium-browser``, ``google-chrome``) or named
by ``EQUIVMETRICS_CHROMIUM``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from equivmetrics.exceptions import InputValueError

from .report import CHART_CID, ValueReport

__all__ = ["chromium", "report_email", "report_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_TIMEOUT = 120


def chromium() -> str:
    """The Chromium executable: ``EQUIVMETRICS_CHROMIUM`` or the first found on ``PATH``."""
    named = os.environ.get("EQUIVMETRICS_CHROMIUM")
    if named and not (os.path.isfile(named) and os.access(named, os.X_OK)):
        named = shutil.which(named)  # a command name rather than a path
        if not named:
            raise InputValueError(
                f"EQUIVMETRICS_CHROMIUM names {os.environ['EQUIVMETRICS_CHROMIUM']!r}, which "
                "is not an executable file: set it to Chromium's path, or unset it to use the "
                "one on PATH",
                value=os.environ["EQUIVMETRICS_CHROMIUM"],
            )
    found = named or next((p for p in map(shutil.which, _NAMES) if p), None)
    if not found:
        raise InputValueError(
            "a PDF report needs Chromium: install it (Debian: apt-get install chromium) or set "
            "EQUIVMETRICS_CHROMIUM to its path",
            value=None,
        )
    return found


def report_pdf(report: ValueReport, *, timeout: float = _TIMEOUT) -> bytes:
    """The report as PDF bytes, printed by headless Chromium (A4 or Letter as Chromium's
    default paper, no header or footer)."""
    with tempfile.TemporaryDirectory(prefix="equivmetrics-report-") as folder:
        here = Path(folder)
        page, out, profile = here / "report.html", here / "report.pdf", here / "profile"
        page.write_text(report.html(), encoding="utf-8")
        command = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        env = {**os.environ, "HOME": folder}
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False, env=env)
        if done.returncode != 0 or not out.exists():
            tail = done.stderr.decode(errors="replace")[-1000:]
            raise InputValueError(f"Chromium could not print the report: {tail}", value=None)
        return out.read_bytes()


def report_email(
    report: ValueReport,
    *,
    sender: str,
    to: str | list[str],
    subject: str | None = None,
    pdf: bytes | None = None,
    filename: str = "value-report.pdf",
) -> EmailMessage:
    """A ready :class:`~email.message.EmailMessage`: plain text, the HTML with the chart as an
    inline ``cid:`` image, and the PDF attached (``pdf``, or printed now)."""
    recipients = [to] if isinstance(to, str) else list(to)
    for role, address in [("sender", sender)] + [("to", a) for a in recipients]:
        _check_address(role, address)
    message = EmailMessage()
    message["Subject"] = subject or report.title
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="equivmetrics.invalid")
    message.set_content(report.text())
    message.add_alternative(report.html(chart_src=f"cid:{CHART_CID}"), subtype="html")
    html_part = message.get_body(("html",))
    assert html_part is not None
    if isinstance(report.chart.data, bytes):  # drawn: matplotlib (the [charts] extra) is here
        html_part.add_related(
            report.chart.data, maintype="image", subtype="png", cid=f"<{CHART_CID}>",
            filename="chart.png", disposition="inline",
        )  # fmt: skip
    data = pdf if pdf is not None else report_pdf(report)
    message.add_attachment(data, maintype="application", subtype="pdf", filename=filename)
    return message


def _check_address(role: str, address: object) -> None:
    """An e-mail address a mail server will take: ``name@domain`` (a display name allowed)."""
    _, plain = parseaddr(address) if isinstance(address, str) else ("", "")
    local, at, domain = plain.rpartition("@")
    if not (at and local and "." in domain and plain == plain.strip() and " " not in plain):
        raise InputValueError(
            f"{role}= {address!r} is not an e-mail address: write name@example.com "
            "(or 'Name <name@example.com>')",
            value=address,
        )
