"""``equivmetrics scorecard``: a tenant's adoption and performance scorecard from a file.

The team numbers come from a CSV file (one row per period and team: ``period,team,`` then a
column per number) or a JSON file (``{period: {team: {number: value}}}``, or a list of such
rows); the indicators from the packs (``--pack cs.yaml`` with an ``indicators:`` section).
Prints the worked scorecard, ``--json`` its JSON, ``--html FILE`` writes its card as a page.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from equivmetrics._api.engine import Engine
from equivmetrics._features.scorecard_input import REFERENCES, rows_to_data
from equivmetrics._present.scorecard_card import scorecard_page

from .batch_files import UsageError

__all__ = ["add_scorecard_arguments", "read_numbers", "run_scorecard"]


def add_scorecard_arguments(p: argparse.ArgumentParser) -> None:
    """The options of ``scorecard`` (the engine options are added by the parser)."""
    p.add_argument("data", metavar="FILE", help="the team numbers: a .csv or .json file")
    p.add_argument("--period", help="the period to score, e.g. 2026-03 (default the last)")
    p.add_argument(
        "--team", action="append", metavar="NAME", help="score only this team (repeatable)"
    )
    p.add_argument(
        "--indicator",
        action="append",
        metavar="NAME",
        help="use only this indicator of the packs (repeatable)",
    )
    p.add_argument(
        "--reference",
        choices=REFERENCES,
        default="median",
        help="a team's reference adoption: the median or mean of the others, or the target",
    )
    p.add_argument(
        "--tolerance",
        type=float,
        default=0.10,
        help="how far below its reference a team may be before it is a weak link (0.10)",
    )
    p.add_argument(
        "--signed",
        action="store_true",
        help="count every team in the value at stake, those above the reference as negative",
    )
    p.add_argument("--locale", default="en", help="word the card in this locale (default en)")
    p.add_argument("--html", metavar="FILE", help="write the scorecard card as an HTML page")
    p.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    p.set_defaults(handler=run_scorecard)


def read_numbers(path: str) -> Any:
    """The team numbers of a CSV or JSON file, as :meth:`Engine.scorecard` takes them."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path} is not JSON: {exc}") from None
        return rows_to_data(data) if isinstance(data, list) else data
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or not {"period", "team"} <= set(rows[0]):
        raise UsageError(
            f"{path}: a CSV file needs a header with 'period' and 'team' and one row per "
            "period and team"
        )
    return rows_to_data(rows)


def run_scorecard(engine: Engine, args: argparse.Namespace) -> int:
    indicators = engine.indicators
    if args.indicator:
        unknown = [name for name in args.indicator if name not in indicators]
        if unknown:
            raise UsageError(
                f"--indicator: no indicator {', '.join(unknown)} in the packs; they declare "
                f"{', '.join(indicators) or 'none'}"
            )
    chosen = [indicators[n] for n in args.indicator] if args.indicator else None
    card = engine.scorecard(
        read_numbers(args.data),
        indicators=chosen,
        period=args.period,
        teams=args.team,
        reference=args.reference,
        tolerance=args.tolerance,
        signed=args.signed,
        locale=args.locale,
    )
    if args.html:
        Path(args.html).write_text(scorecard_page(card, locale=args.locale), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(card.to_dict(), ensure_ascii=False, allow_nan=False))
    elif not args.html:
        print(card.explain())
    return 0
