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
from collections.abc import Iterable, Sequence, Set
from pathlib import Path
from typing import Any

from equivmetrics._api.engine import Engine
from equivmetrics._features.indicator import Indicator
from equivmetrics._features.scorecard_input import REFERENCES, rows_to_data
from equivmetrics._present.scorecard_card import scorecard_page

from .batch_files import UsageError, check_encoding, decoded
from .spreadsheet import ambiguity, convention, spreadsheet_number

__all__ = [
    "add_encoding_argument",
    "add_rule_arguments",
    "add_scorecard_arguments",
    "number_columns",
    "read_numbers",
    "rule_options",
    "run_scorecard",
]

#: Columns of a team-numbers file that hold no number.
_NOT_NUMBERS = ("period", "team")
#: The weak-link rule's options, shared by ``scorecard`` and ``report --scorecard``.
_RULE = ("reference", "tolerance", "signed")


def add_rule_arguments(p: argparse.ArgumentParser, *, applies_to: str = "") -> None:
    """``--reference``, ``--tolerance`` and ``--signed``: the weak-link rule (docs/adoption.md).

    ``applies_to`` names the option they go with in the help (``--scorecard`` in ``report``).
    Left out, they take the library's defaults (:func:`rule_options`).
    """
    with_ = f" (with {applies_to})" if applies_to else ""
    p.add_argument(
        "--reference",
        choices=REFERENCES,
        help="a team's reference adoption: the median (the default) or mean of the other teams, "
        f"or the target{with_}",
    )
    p.add_argument(
        "--tolerance",
        type=float,
        metavar="SHARE",
        help=f"how far below its reference a team may be before it is a weak link (0.10){with_}",
    )
    p.add_argument(
        "--signed",
        action="store_true",
        default=None,
        help="count every team in the value at stake, those above the reference as negative"
        + with_,
    )


def rule_options(args: argparse.Namespace) -> dict[str, Any]:
    """The rule options given on the command line, as :meth:`Engine.scorecard` takes them."""
    return {name: getattr(args, name) for name in _RULE if getattr(args, name) is not None}


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
    add_rule_arguments(p)
    add_encoding_argument(p, "of FILE")
    p.add_argument("--locale", default="en", help="word the card in this locale (default en)")
    p.add_argument("--html", metavar="FILE", help="write the scorecard card as an HTML page")
    p.add_argument("--json", action="store_true", help="print the scorecard as JSON")
    p.set_defaults(handler=run_scorecard)


def add_encoding_argument(p: argparse.ArgumentParser, of: str) -> None:
    """``--encoding``: the text encoding of the files a command reads."""
    p.add_argument(
        "--encoding",
        default="utf-8",
        metavar="NAME",
        help=f"the text encoding {of}, e.g. cp1252 for Excel's plain CSV (default utf-8)",
    )


def read_numbers(path: str, columns: Iterable[str] = (), encoding: str = "utf-8") -> Any:
    """The team numbers of a CSV or JSON file, as :meth:`Engine.scorecard` takes them;
    ``columns``: those the indicators read, whose CSV cells are read as numbers (see
    :func:`_read_cells`); ``encoding``: the file's (Excel's plain CSV on Windows: cp1252)."""
    file = Path(path)
    check_encoding(encoding)
    try:
        text = decoded(file.read_bytes(), encoding, path)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if file.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path} is not JSON: {exc}") from None
        return rows_to_data(data) if isinstance(data, list) else data
    delimiter = _delimiter(text)
    reader = csv.DictReader(text.splitlines(), delimiter=delimiter)
    rows, lines = [], []
    for row in reader:
        rows.append(row)
        lines.append(reader.line_num)  # the file's line where the row ends (the header is 1)
    header = reader.fieldnames or []
    if not {"period", "team"} <= set(header):
        found = f"the header found is {_shown(header)}" if header else "the file is empty"
        raise UsageError(
            f"{path}: a CSV file needs a header with 'period' and 'team' and one row per "
            f"period and team; {found} (columns separated by ',', ';' or tabs)"
        )
    if not rows:
        raise UsageError(f"{path}: the file has a header but no rows of numbers")
    read = _read_cells(rows, lines, delimiter, path, set(columns) - {*_NOT_NUMBERS})
    return rows_to_data(read, lines=lines, source=path)


def _read_cells(
    rows: list[dict[str, Any]], lines: list[int], delimiter: str, path: str, columns: Set[str]
) -> list[dict[str, Any]]:
    """The rows with the numbers of ``columns`` (those the indicators read) as the
    spreadsheet that exported the file wrote them (:mod:`.spreadsheet`: ``1.234,5`` in a
    file separated by ``;`` whose numbers write decimal commas, ``"1,234.5"`` in one
    separated by commas, ``1 234`` in either). Only those columns' numbers say how the file
    writes decimals, and a number of theirs that could be read two ways (``1.250``: 1250 or
    1.25) is refused at its line when the file's other numbers do not settle it. Other
    columns, and cells that are no number, are left as they are."""
    cells = [row[c] for row in rows for c in columns if isinstance(row.get(c), str)]
    decimals = convention(cells, delimiter)
    read = []
    for row, line in zip(rows, lines, strict=True):
        numbers = dict(row)
        for column in columns & row.keys():
            cell = row[column]
            if not isinstance(cell, str) or not cell.strip():
                continue
            number = spreadsheet_number(cell, delimiter, decimals)
            readings = ambiguity(cell, delimiter) if number is None else None
            if readings is not None:
                raise UsageError(
                    f"{path}, line {line}: {column} {readings}, and the file's other numbers "
                    "do not tell which; write it without thousands separators"
                )
            if number is not None:
                numbers[column] = number
        read.append(numbers)
    return read


def number_columns(indicators: Iterable[Indicator]) -> set[str]:
    """The numbers ``indicators`` read: each one's numerator and denominator."""
    return {name for i in indicators for name in (i.numerator, i.denominator) if name}


def _delimiter(text: str) -> str:
    """The column separator of ``text``, sniffed from its first lines among ',', ';' and tab."""
    head = "\n".join(text[:16384].splitlines()[:6])
    try:
        return csv.Sniffer().sniff(head, delimiters=",;\t").delimiter
    except csv.Error:  # one column, or nothing to tell by: the standard comma
        return ","


def _shown(header: Sequence[str]) -> str:
    columns = ", ".join(repr(name) for name in header[:8])
    return columns + (f" and {len(header) - 8} more" if len(header) > 8 else "")


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
        read_numbers(args.data, number_columns(chosen or indicators.values()), args.encoding),
        indicators=chosen,
        period=args.period,
        teams=args.team,
        locale=args.locale,
        **rule_options(args),
    )
    if args.html:
        Path(args.html).write_text(scorecard_page(card, locale=args.locale), encoding="utf-8")
        print(f"wrote {args.html}", file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps(card.to_dict(), ensure_ascii=False, allow_nan=False))
    elif not args.html:
        print(card.explain())
    return 0
