"""Pack files: find them, read them safely, and validate their shape into :mod:`.model` records.

Every problem in a file is collected (not just the first) with its ``file:line:column``; a file
with any problem yields no pack. Meaning across packs (units, dimensions, the rule graph) is
checked by :mod:`equivmetrics._catalog`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from equivmetrics.exceptions import InputTypeError, Location, PackError, Problem

from .fields import FIELDS
from .installed import PACK_SUFFIXES as _PACK_SUFFIXES
from .installed import bundled_files
from .model import (
    Pack,
)
from .reader import FORMAT_VERSION, PackReader
from .yaml import Limits, YamlFailure, read_yaml

__all__ = [
    "FIELDS",
    "FORMAT_VERSION",
    "bundled_files",
    "expand_paths",
    "pack_schema",
    "parse_pack",
    "read_packs",
]


PackFile = Path | Traversable


#: The fields each part of a pack may have (the JSON Schema is tested against this table).
def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and folders expanded to their ``*.yaml``/``*.yml`` files, sorted."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        if not isinstance(raw, str | os.PathLike):
            raise InputTypeError(
                f"a pack path must be text or a path, not {type(raw).__name__} ({raw!r})",
                value=raw,
            )
        path = Path(raw)
        try:
            path.stat()
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte, no such file
            why = (
                "no such file or folder"
                if isinstance(exc, FileNotFoundError)
                else f"cannot read: {getattr(exc, 'strerror', None) or exc}"
            )
            problems.append(Problem(Location(str(path)[:200]), "", why))
            continue
        if path.is_dir():
            try:
                found = sorted(
                    p for p in path.rglob("*") if p.suffix in _PACK_SUFFIXES and p.is_file()
                )
            except OSError as exc:  # a folder that changes or cannot be listed while read
                problems.append(
                    Problem(Location(str(path)), "", f"cannot list: {exc.strerror or exc}")
                )
                continue
            if not found:
                problems.append(
                    Problem(Location(str(path)), "", "folder holds no .yaml pack files")
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(Location(str(path)), "", "no such file or folder"))
    if problems:
        raise PackError(problems)
    return files


def read_packs(files: Iterable[PackFile], limits: Limits | None = None) -> list[Pack]:
    """Read and validate every file; raise one :class:`PackError` listing all problems."""
    if limits is not None and not isinstance(limits, Limits):
        raise InputTypeError(
            f"limits= takes an equivmetrics.Limits, not {limits!r}; e.g. "
            "em.Limits(max_bytes=10_000_000)",
            value=limits,
        )
    packs: list[Pack] = []
    problems: list[Problem] = []
    for file in files:
        origin = _origin(file)
        size = _size(file)
        limit = (limits or Limits()).max_bytes
        if size > limit:  # refused before reading: a huge file never reaches memory
            problems.append(
                Problem(
                    Location(origin),
                    "",
                    f"file is {size} bytes, over the limit of {limit}",
                    "split the pack, or raise Limits.max_bytes if you trust it",
                )
            )
            continue
        try:
            with file.open("rb") as handle:  # bounded: the file may have grown since stat()
                data = handle.read(limit + 1)
            if len(data) > limit:
                problems.append(
                    Problem(
                        Location(origin),
                        "",
                        f"file is over the limit of {limit} bytes",
                        "split the pack, or raise Limits.max_bytes if you trust it",
                    )
                )
                continue
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(Location(origin), "", f"not UTF-8 text: {exc.reason}"))
            continue
        except OSError as exc:
            problems.append(Problem(Location(origin), "", f"cannot read: {exc.strerror or exc}"))
            continue
        pack, found = parse_pack(text, origin, limits)
        problems.extend(found)
        if pack is not None:
            packs.append(pack)
    if problems:
        raise PackError(problems)
    return packs


def _size(file: PackFile) -> int:
    """The size of a file on disk in bytes; 0 when unknown (read_yaml checks the text)."""
    try:
        return file.stat().st_size if isinstance(file, Path) else 0
    except OSError:
        return 0


def _origin(file: PackFile) -> str:
    if isinstance(file, Path):
        return str(file)
    return f"<bundled>/{file.name}"


def parse_pack(
    text: str, origin: str, limits: Limits | None = None
) -> tuple[Pack | None, list[Problem]]:
    """Validate one pack's text; return the pack (or None) and every problem found."""
    if "\x00" in text:
        return None, [Problem(Location(origin), "", "binary content (NUL bytes) is not a pack")]
    try:
        data = read_yaml(text, origin, limits)
    except YamlFailure as failure:
        return None, [failure.problem]
    reader = PackReader(origin)
    pack = reader.pack(data)
    return (pack if not reader.problems else None), reader.problems


def iter_problems(error: PackError) -> Iterator[Problem]:
    """The problems of an error, sorted by location (handy for printing)."""
    yield from sorted(error.problems, key=lambda p: p.location)


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of the pack format (for editors and external validators).

    >>> pack_schema()["properties"]["equivmetrics"]
    {'const': 1, 'description': 'Pack format version.'}
    """
    text = (resources.files("equivmetrics") / "schema" / "pack-1.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
