"""Periodic value reports: one tenant's period as e-mail-ready HTML, PDF and an e-mail message.

>>> import equivmetrics as em
>>> from equivmetrics.report import build_report
>>> r = build_report(em.load(), {"2025-01": 12000, "2025-02": 13500}, "manual_work",
...                  of="transaction", unit="transaction")
>>> r.cumulative_input, round(r.cumulative.magnitude), r.cumulative.unit
(25500.0, 1275, 'hour')

See docs/reports.md. The chart needs the ``charts`` extra (matplotlib); the PDF needs Chromium.
"""

from __future__ import annotations

from ._integrations.report import CHART_CID, ValueReport, build_report
from ._integrations.report_send import report_email, report_pdf

__all__ = ["CHART_CID", "ValueReport", "build_report", "report_email", "report_pdf"]
