"""The totals a report reads on the command line: ``--values`` text, or a CSV or JSON file.

- ``--values 2025-01:12000,2025-02:13500``: ``PERIOD:TOTAL`` pairs separated by commas.
- ``--input totals.csv``: two columns, the period and the total, one row per period; a first
  row whose total is not a number is a header and is skipped. Other delimiters (``;``, tab)
  are recognised, with the number formats spreadsheets export with them: ``"12,000"`` in a
  comma-separated file, ``12000,5`` and ``12.000,5`` in one separated by ``;`` or tabs.
- ``--input totals.json``: an object (``{"2025-01": 12000, ...}``), a list of pairs
  (``[["2025-01", 12000], ...]``) or a list of objects with ``period`` and ``total``.

``-`` reads standard input (CSV, or JSON when it starts with ``{`` or ``[``). A row that cannot
be read is an error naming the file and its line (CSV) or entry (JSON): nothing is skipped.

>>> parse_values("2025-01:12000, 2025-02:13500")
[('2025-01', 12000.0), ('2025-02', 13500.0)]
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

from .batch_files import UsageError, check_encoding, decoded, source_name
from .spreadsheet import ambiguity, convention, finite_number, spreadsheet_number

__all__ = ["MAX_BYTES", "parse_values", "read_values"]

#: A totals file is a few rows per period: more than this is a mistake, not a report.
MAX_BYTES = 8 * 1024 * 1024


def parse_values(text: str) -> list[tuple[str, float]]:
    """``"2025-01:12000,2025-02:13500"`` as ``[("2025-01", 12000.0), ...]``."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        period, colon, total = item.rpartition(":")
        number = finite_number(total) if colon and period.strip() else None
        if number is None:
            raise UsageError(
                f"--values: cannot read {item!r}: write PERIOD:TOTAL, e.g. 2025-01:12000"
            )
        pairs.append((period.strip(), number))
    if not pairs:
        raise UsageError("--values: give at least one PERIOD:TOTAL")
    return pairs


def read_values(source: str, encoding: str = "utf-8") -> list[tuple[str, float]]:
    """The totals in the file ``source`` (``-``: standard input), CSV or JSON, in
    ``encoding``."""
    check_encoding(encoding)
    text = decoded(_read(source), encoding, f"--input {source_name(source)}")
    where = source_name(source)
    is_json = source.lower().endswith(".json") or (
        source == "-" and text.lstrip()[:1] in ("{", "[")
    )
    pairs = _from_json(text, where) if is_json else _from_csv(text, where)
    if not pairs:
        raise UsageError(f"--input {where}: no totals in it; write one PERIOD,TOTAL per line")
    return pairs


def _read(source: str) -> bytes:
    try:
        if source == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"--input: cannot read {source_name(source)}: {exc.strerror}") from exc
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"--input {source_name(source)}: more than {MAX_BYTES // 2**20} MiB of totals"
        )
    return data


def _from_csv(text: str, where: str) -> list[tuple[str, float]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _csv_rows(text, dialect, where)


def _csv_rows(text: str, dialect: Any, where: str) -> list[tuple[str, float]]:
    reader = csv.reader(io.StringIO(text), dialect)
    rows = [
        (reader.line_num, [c.strip() for c in row]) for row in reader if any(map(str.strip, row))
    ]
    delimiter = dialect.delimiter
    decimals = convention((c[1] for _, c in rows if len(c) > 1), delimiter)
    pairs: list[tuple[str, float]] = []
    seen: dict[str, int] = {}
    for index, (line, cells) in enumerate(rows):
        total = cells[1] if len(cells) >= 2 and cells[0] else ""
        number = spreadsheet_number(total, delimiter, decimals) if total else None
        header = number is None and ambiguity(total, delimiter) is None
        if index == 0 and header and len(cells) == 2:  # a header, not an unsettled total
            continue
        if number is None or len(cells) > 2:
            raise UsageError(_unreadable(where, line, cells, delimiter, total))
        if cells[0] in seen:
            raise UsageError(
                f"--input {where}, line {line}: period {cells[0]} is given twice (first on "
                f"line {seen[cells[0]]}); give one total per period"
            )
        seen[cells[0]] = line
        pairs.append((cells[0], number))
    return pairs


def _unreadable(where: str, line: int, cells: list[str], delimiter: str, total: str) -> str:
    readings = ambiguity(total, delimiter) if len(cells) == 2 else None
    if readings is not None:
        return (
            f"--input {where}, line {line}: {readings}, and the file's other totals do not "
            "tell which; write it without thousands separators"
        )
    shown = "tab" if delimiter == "\t" else repr(delimiter)
    return (
        f"--input {where}, line {line}: cannot read {delimiter.join(cells)!r}: write the "
        f"period and its total separated by {shown}, e.g. {'2025-01' + delimiter + '12000'!r}"
    )


def _from_json(text: str, where: str) -> list[tuple[str, float]]:
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--input {where}, line {exc.lineno}: not JSON ({exc.msg})") from exc
    items = list(data.items()) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UsageError(
            f"--input {where}: write an object of PERIOD: TOTAL, or a list of [PERIOD, TOTAL]"
        )
    pairs = [_json_pair(item, index, where) for index, item in enumerate(items)]
    periods = [period for period, _ in pairs]
    twice = next((p for i, p in enumerate(periods) if p in periods[:i]), None)
    if twice is not None:
        raise UsageError(
            f"--input {where}, entry {periods.index(twice, periods.index(twice) + 1) + 1}: "
            f"period {twice!r} is given twice; give one total per period"
        )
    return pairs


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refused when it names a period twice (the last would win silently)."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise UsageError(f"--input: period {key!r} is given twice; give one total per period")
        found[key] = value
    return found


def _json_pair(item: Any, index: int, where: str) -> tuple[str, float]:
    if isinstance(item, dict) and set(item) == {"period", "total"}:
        item = (item["period"], item["total"])
    ok = isinstance(item, list | tuple) and len(item) == 2
    period, total = item if ok else (None, None)
    number = finite_number(total) if isinstance(total, int | float | str) else None
    if (
        not isinstance(period, str)
        or not period.strip()
        or isinstance(total, bool)
        or (number is None)
    ):
        raise UsageError(
            f"--input {where}, entry {index + 1}: cannot read {item!r}: give a period (text) "
            'and a total (a number), e.g. {"2025-01": 12000}'
        )
    return period.strip(), number
