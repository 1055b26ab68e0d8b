"""The totals a report reads on the command line: ``--values`` text, or a CSV or JSON file.

- ``--values 2025-01:12000,2025-02:13500``: ``PERIOD:TOTAL`` pairs separated by commas.
- ``--input totals.csv``: two columns, the period and the total, one row per period; a first
  row whose total is not a number is a header and is skipped. Other delimiters (``;``, tab)
  are recognised.
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
import math
import sys
from pathlib import Path
from typing import Any

from .batch_files import UsageError, source_name

__all__ = ["MAX_BYTES", "parse_values", "read_values"]

#: A totals file is a few rows per period: more than this is a mistake, not a report.
MAX_BYTES = 8 * 1024 * 1024
_EXAMPLE = "e.g. 2025-01,12000"


def parse_values(text: str) -> list[tuple[str, float]]:
    """``"2025-01:12000,2025-02:13500"`` as ``[("2025-01", 12000.0), ...]``."""
    pairs = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        period, colon, total = item.rpartition(":")
        number = _number(total) if colon and period.strip() else None
        if number is None:
            raise UsageError(
                f"--values: cannot read {item!r}: write PERIOD:TOTAL, e.g. 2025-01:12000"
            )
        pairs.append((period.strip(), number))
    if not pairs:
        raise UsageError("--values: give at least one PERIOD:TOTAL")
    return pairs


def read_values(source: str) -> list[tuple[str, float]]:
    """The totals in the file ``source`` (``-``: standard input), CSV or JSON."""
    text = _read(source)
    where = source_name(source)
    is_json = source.lower().endswith(".json") or (
        source == "-" and text.lstrip()[:1] in ("{", "[")
    )
    pairs = _from_json(text, where) if is_json else _from_csv(text, where)
    if not pairs:
        raise UsageError(f"--input {where}: no totals in it; write one PERIOD,TOTAL per line")
    return pairs


def _read(source: str) -> str:
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
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"--input {source_name(source)}: not UTF-8 text (at byte offset {exc.start}); "
            "save it as UTF-8"
        ) from exc


def _from_csv(text: str, where: str) -> list[tuple[str, float]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return _csv_rows(text, dialect, where)


def _csv_rows(text: str, dialect: Any, where: str) -> list[tuple[str, float]]:
    reader = csv.reader(io.StringIO(text), dialect)
    pairs: list[tuple[str, float]] = []
    first = True
    for row in reader:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        line = reader.line_num
        number = _number(cells[1]) if len(cells) >= 2 and cells[0] else None
        header, first = first and number is None and len(cells) == 2, False
        if header:
            continue
        if number is None or len(cells) > 2:
            raise UsageError(
                f"--input {where}, line {line}: cannot read {dialect.delimiter.join(cells)!r}: "
                f"write PERIOD,TOTAL ({_EXAMPLE})"
            )
        pairs.append((cells[0], number))
    return pairs


def _from_json(text: str, where: str) -> list[tuple[str, float]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--input {where}, line {exc.lineno}: not JSON ({exc.msg})") from exc
    items = list(data.items()) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise UsageError(
            f"--input {where}: write an object of PERIOD: TOTAL, or a list of [PERIOD, TOTAL]"
        )
    return [_json_pair(item, index, where) for index, item in enumerate(items)]


def _json_pair(item: Any, index: int, where: str) -> tuple[str, float]:
    if isinstance(item, dict) and set(item) == {"period", "total"}:
        item = (item["period"], item["total"])
    ok = isinstance(item, list | tuple) and len(item) == 2
    period, total = item if ok else (None, None)
    number = _number(total) if isinstance(total, int | float | str) else None
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


def _number(text: Any) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
