"""Batch conversion of a CSV file from Python: what ``equivmetrics batch`` does, as a function.

:func:`convert_csv` runs the command's conversion (:func:`.batch.run_batch`: streamed in
chunks, every row kept, bad rows listed with their line in the rejects file, both files moved
into place only when the run completes) with the options as keyword arguments, a progress bar
when interactive (a terminal, or tqdm's widget in a notebook), and the library's errors worded
for Python (``column=``, not ``--column``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from equivmetrics._api.engine import Engine
from equivmetrics._api.load import default_engine
from equivmetrics._core.negative import NegativePolicy
from equivmetrics.exceptions import InputTypeError, InputValueError

from .batch import Summary, parse_targets, run_batch
from .batch_files import UsageError
from .progress import stream_for

__all__ = ["convert_csv"]

Targets = str | Sequence[str | tuple[str, str | None]]

#: ``--column 'kwh'`` and ``-o -`` in the command's messages, as Python's ``column='kwh'``.
_FLAG = re.compile(r"(?<![\w-])--([a-z][a-z-]*)(?: (?=['\"]))?")
_SHORT_OUTPUT = re.compile(r"(?<![\w-])-o -")


def convert_csv(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    column: str,
    unit: str,
    to: Targets,
    engine: Engine | None = None,
    of: str | None = None,
    per: str | None = None,
    rejects: str | os.PathLike[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
    negative: NegativePolicy | None = None,
    chunk_rows: int | None = None,
    progress: bool | None = None,
    csv_engine: str | None = None,
    decimal: str = ".",
) -> Summary:
    """Convert column ``column`` (in ``unit``) of the CSV file ``source`` into ``output``.

    ``to``: ``"co2e,tree_seedling"``, ``["co2e:kg", "fte"]`` or ``[("co2e", "kg")]``;
    ``engine``: the tenant's (default: the bundled packs); ``progress``: True, False or None;
    ``decimal``: ``","`` for decimal commas (docs/cli.md). Returns the run's :class:`Summary`;
    a row that cannot be converted is in the rejects file. Options that cannot work raise
    :class:`~equivmetrics.InputValueError` before anything is written.
    """
    files = (("source", source), ("output", output), ("rejects", rejects))
    paths = {name: _path(name, value) for name, value in files}
    targets = _targets(to)
    if engine is not None and not isinstance(engine, Engine):
        raise InputTypeError(
            f"engine= must be an Engine (em.load(), or a tenant's with_params), got "
            f"{type(engine).__name__}",
            value=engine,
        )
    for name, text in (("column", column), ("unit", unit)):
        if not isinstance(text, str):
            raise InputTypeError(f"{name}= must be text, got {type(text).__name__}", value=text)
    try:
        return run_batch(
            default_engine() if engine is None else engine,
            str(paths["source"]),
            column=column,
            unit=unit,
            to=targets,
            output=str(paths["output"]),
            of=of,
            per=per,
            rejects=paths["rejects"],
            delimiter=delimiter,
            encoding=encoding,
            negative=negative,
            chunk_rows=chunk_rows,
            progress=stream_for(progress),
            csv_engine=csv_engine,
            decimal=decimal,
        )
    except UsageError as exc:
        raise InputValueError(_python_words(str(exc)), value=exc.value) from None


def _path(name: str, value: Any) -> str | None:
    if value is None and name == "rejects":
        return None
    if isinstance(value, str | os.PathLike):
        text = os.fspath(value)
        if isinstance(text, str) and text:
            return text
    raise InputTypeError(
        f"{name}= must be a file path (text or a pathlib.Path), got {value!r}", value=value
    )


def _targets(to: Any) -> list[tuple[str, str | None]]:
    """``to`` as (kind, unit) pairs; text items as the command line reads ``--to``."""
    if isinstance(to, str):
        items: list[Any] = [to]
    elif isinstance(to, Sequence) and to:
        items = list(to)
    else:
        raise InputTypeError(
            f"to= must name kinds: 'co2e', 'co2e:kg,fte' or [('co2e', 'kg')], got {to!r}",
            value=to,
        )
    pairs: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, str):
            try:
                pairs += parse_targets(item)
            except UsageError as exc:
                raise InputValueError(_python_words(str(exc)), value=item) from None
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], str | None)
        ):
            pairs.append((item[0], item[1]))
        else:
            raise InputTypeError(
                f"to= item {item!r}: give 'kind', 'kind:unit' or a (kind, unit) pair",
                value=item,
            )
    return pairs


def _python_words(message: str) -> str:
    """The command's advice in Python's words: ``--column 'x'`` → ``column='x'``."""
    message = _SHORT_OUTPUT.sub("output='-'", message)
    return _FLAG.sub(lambda m: m.group(1).replace("-", "_") + "=", message)
