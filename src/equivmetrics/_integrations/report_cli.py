"""``equivmetrics report``: a periodic value report written as HTML, PDF and ``.eml`` files.

The totals are given on the command line, one per calendar period:
``--values 2025-01:12000,2025-02:13500 --unit transaction``, or read from a CSV or JSON file
with ``--input`` (:mod:`.report_values`). Periods are what :meth:`Engine.series` reads
(``2025``, ``2025-02``, ``2025-02-14``); ``--period quarter`` or ``year`` sums monthly totals
per quarter or year (to date).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from equivmetrics._api.engine import Engine

from .batch_files import UsageError
from .report import build_report
from .report_send import report_email, report_pdf
from .report_values import parse_values, read_values
from .scorecard_cli import (
    add_encoding_argument,
    add_rule_arguments,
    number_columns,
    read_numbers,
    rule_options,
)

__all__ = ["add_report_arguments", "run_report"]


def add_report_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``report`` (the engine options are added by the parser)."""
    given = p.add_mutually_exclusive_group(required=True)
    given.add_argument(
        "--values",
        metavar="PERIOD:TOTAL,...",
        help="a total per period, e.g. 2025-01:12000,2025-02:13500",
    )
    given.add_argument(
        "--input",
        metavar="FILE",
        help="read the totals from a CSV (PERIOD,TOTAL rows) or JSON file; - for stdin",
    )
    p.add_argument(
        "--unit", required=True, metavar="UNIT", help="the unit of the totals, e.g. transaction"
    )
    p.add_argument(
        "--to",
        default="manual_work",
        metavar="KIND",
        help="the kind reported (default manual_work)",
    )
    p.add_argument("--of", metavar="KIND", help="the source kind when the unit does not decide it")
    p.add_argument(
        "--period",
        choices=("month", "quarter", "year"),
        default="month",
        help="report months, or months summed per quarter or year (to date)",
    )
    p.add_argument(
        "--at",
        metavar="PERIOD",
        help="the period reported, e.g. 2025-02, 2025-Q1, 2025 (default the last)",
    )
    p.add_argument(
        "--since",
        metavar="PERIOD",
        help="the cumulative total starts here (default the first period)",
    )
    p.add_argument(
        "--trend", type=int, default=12, metavar="N", help="periods in the trend chart (default 12)"
    )
    p.add_argument(
        "--scorecard",
        metavar="FILE",
        help="add the adoption scorecard of these team numbers (.csv or .json; the indicators "
        "come from the packs)",
    )
    add_rule_arguments(p, applies_to="--scorecard")
    add_encoding_argument(p, "of the --input and --scorecard files")
    p.add_argument("--title", help="the report's title")
    p.add_argument("--locale", default="en", help="word it in this locale (default en)")
    _add_outputs(p)
    p.set_defaults(json=False, handler=run_report)


def _add_outputs(p: argparse.ArgumentParser) -> None:
    """The files ``report`` writes, and the e-mail's addresses."""
    p.add_argument("--html", metavar="FILE", help="write the HTML page here")
    p.add_argument("--pdf", metavar="FILE", help="write the PDF here (needs Chromium)")
    p.add_argument("--eml", metavar="FILE", help="write the e-mail here (needs --from, --email-to)")
    p.add_argument("--from", dest="sender", metavar="ADDRESS", help="the e-mail's sender")
    p.add_argument(
        "--email-to",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="an e-mail recipient (repeatable)",
    )
    p.add_argument("--subject", help="the e-mail's subject (default the title)")


def run_report(engine: Engine, args: argparse.Namespace) -> int:
    """Build the report and write the files asked for (the plain text to stdout otherwise)."""
    if args.eml and not (args.sender and args.email_to):
        raise UsageError("--eml needs --from and --email-to")
    rule = rule_options(args)
    if rule and args.scorecard is None:
        given = ", ".join(f"--{name}" for name in rule)
        raise UsageError(f"{given} set the scorecard's weak-link rule: use with --scorecard FILE")
    report = build_report(
        engine,
        parse_values(args.values)
        if args.values is not None
        else read_values(args.input, args.encoding),
        args.to,
        of=args.of,
        unit=args.unit,
        period=args.at,
        by=args.period,
        since=args.since,
        trend=args.trend,
        locale=args.locale,
        title=args.title,
        scorecard=(
            None
            if args.scorecard is None
            else engine.scorecard(
                read_numbers(
                    args.scorecard, number_columns(engine.indicators.values()), args.encoding
                ),
                locale=args.locale,
                # the reported month's scorecard (a quarter's or year's: the teams' last month)
                period=args.at if args.at and args.period == "month" else None,
                **rule,
            )
        ),
    )
    written: list[tuple[str, Any]] = []
    if args.html:
        written.append((args.html, report.html()))
    pdf = report_pdf(report) if (args.pdf or args.eml) else None
    if args.pdf:
        written.append((args.pdf, pdf))
    if args.eml:
        message = report_email(
            report, sender=args.sender, to=args.email_to, subject=args.subject, pdf=pdf
        )
        written.append((args.eml, bytes(message)))
    for name, data in written:
        path = Path(name)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        print(f"wrote {path}")
    if not written:
        sys.stdout.write(report.text())
    return 0
