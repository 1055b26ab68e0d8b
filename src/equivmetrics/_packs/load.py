"""Pack files: find them, read them safely, and validate their shape into :mod:`._model` records.

Every problem in a file is collected (not just the first) with its ``file:line:column``; a file
with any problem yields no pack. Meaning across packs (units, dimensions, the rule graph) is
checked by :mod:`._catalog`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from equivmetrics._core.negative import DEFAULT as DEFAULT_NEGATIVE
from equivmetrics._core.negative import POLICIES as NEGATIVE_POLICIES
from equivmetrics._core.negative import NegativePolicy
from equivmetrics.exceptions import InputError, Location, PackError, Problem

from .fields import FIELDS
from .fields import IDENT as _IDENT
from .fields import describe as _describe
from .model import (
    Example,
    KindSpec,
    Pack,
    ParameterSpec,
    RuleSpec,
    Source,
    UnitSpec,
)
from .wording import WordingReader
from .yaml import Limits, LocatedDict, LocatedList, YamlFailure, read_yaml

__all__ = [
    "FIELDS",
    "FORMAT_VERSION",
    "bundled_files",
    "expand_paths",
    "pack_schema",
    "parse_pack",
    "read_packs",
]

FORMAT_VERSION = 1
_PACK_SUFFIXES = (".yaml", ".yml")

PackFile = Path | Traversable


#: The fields each part of a pack may have (the JSON Schema is tested against this table).
def bundled_files() -> list[Traversable]:
    """The pack files shipped inside the package, in name order."""
    folder = resources.files("equivmetrics") / "conversions"
    if not folder.is_dir():
        return []
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(_PACK_SUFFIXES) and f.is_file()),
        key=lambda f: f.name,
    )


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and folders expanded to their ``*.yaml``/``*.yml`` files, sorted."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        if not isinstance(raw, str | os.PathLike):
            raise InputError(
                f"a pack path must be text or a path, not {type(raw).__name__} ({raw!r})",
                value=raw,
            )
        path = Path(raw)
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
        raise InputError(
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
    reader = _Reader(origin)
    pack = reader.pack(data)
    return (pack if not reader.problems else None), reader.problems


class _Reader(WordingReader):
    """Reads one pack file's sections into :mod:`._model` records."""

    # -- sections --------------------------------------------------------------------------------

    def pack(self, data: Any) -> Pack | None:
        top = self.mapping(data, Location(self.origin, 1, 1), "pack")
        if top is None:
            return None
        self.check_keys(top, FIELDS["pack"], "pack")
        version = top.get("equivmetrics")
        if version != FORMAT_VERSION or isinstance(version, bool):
            self.problem(
                self.where(top, "equivmetrics") if "equivmetrics" in top else top.location,
                "equivmetrics",
                f"format version must be {FORMAT_VERSION}, got {_describe(version)}",
                f"start the pack with 'equivmetrics: {FORMAT_VERSION}'",
            )
        name = self.text(top, "name", "pack", required=True)
        if name and not _IDENT.match(name):
            self.problem(self.where(top, "name"), "pack.name", f"{name!r} is not a valid name")
        self.pack_name = name or self.origin
        edition = self.text(top, "edition", "pack", required=True, allow_number=True)
        self.sources = self.section(top, "sources", self.source)
        units = self.section(top, "units", self.unit)
        kinds = self.section(top, "kinds", self.kind)
        params = self.section(top, "parameters", self.parameter)
        rules = self.list_section(top, "rules", self.rule)
        examples = self.list_section(top, "examples", self.example)
        metrics = self.list_section(top, "metrics", self.metric)
        rewards = self.list_section(top, "rewards", self.reward)
        return Pack(
            name=name,
            edition=edition,
            title=self.text(top, "title", "pack", default=name),
            description=self.text(top, "description", "pack"),
            license=self.text(top, "license", "pack", required=True),
            origin=self.origin,
            sources=tuple(self.sources.values()),
            units=tuple(units.values()),
            kinds=tuple(kinds.values()),
            parameters=tuple(params.values()),
            rules=tuple(rules),
            examples=tuple(examples),
            metrics=tuple(metrics),
            rewards=tuple(rewards),
        )

    def section(self, top: LocatedDict, key: str, build: Any) -> dict[str, Any]:
        if key not in top or top[key] is None:
            return {}
        data = self.mapping(top[key], self.where(top, key), key)
        if data is None:
            return {}
        built: dict[str, Any] = {}
        for entry_name, entry in data.items():
            where = self.where(data, entry_name)
            if self.name(entry_name, where, f"{key}.{entry_name}") is None:
                continue
            item = build(entry_name, entry, where, f"{key}.{entry_name}")
            if item is not None:
                built[entry_name] = item
        return built

    def list_section(self, top: LocatedDict, key: str, build: Any) -> list[Any]:
        if key not in top or top[key] is None:
            return []
        value = top[key]
        if not isinstance(value, LocatedList):
            self.problem(self.where(top, key), key, f"expected a list, got {_describe(value)}")
            return []
        built = []
        for index, (entry, where) in enumerate(zip(value, value.item_locations, strict=True)):
            item = build(entry, where, f"{key}[{index}]")
            if item is not None:
                built.append(item)
        return built

    def source(self, key: str, entry: Any, where: Location, field: str) -> Source | None:
        if isinstance(entry, str):
            return Source(key=key, title=entry)
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["source"], field)
        return Source(
            key=key,
            title=self.text(data, "title", field, required=True),
            publisher=self.text(data, "publisher", field),
            url=self.text(data, "url", field),
            edition=self.text(data, "edition", field, allow_number=True),
            note=self.text(data, "note", field),
        )

    def cite(self, data: LocatedDict, key: str, field: str, *, required: bool) -> Source | None:
        ref = self.text(data, key, field, required=required)
        if not ref:
            return None
        if ref not in self.sources:
            close = difflib.get_close_matches(ref, list(self.sources), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "add it under 'sources:'"
            self.problem(self.where(data, key), f"{field}.{key}", f"unknown source {ref!r}", hint)
            return None
        return self.sources[ref]

    def unit(self, key: str, entry: Any, where: Location, field: str) -> UnitSpec | None:
        if isinstance(entry, str | int | float) and not isinstance(entry, bool):
            return UnitSpec(key, str(entry), (), where, self.pack_name)
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["unit"], field)
        definition = self.text(data, "definition", field, required=True, allow_number=True)
        aliases = self.names_list(data, "aliases", field)
        for alias in aliases:
            self.name(alias, self.where(data, "aliases"), f"{field}.aliases")
        return UnitSpec(key, definition, aliases, where, self.pack_name) if definition else None

    def kind(self, key: str, entry: Any, where: Location, field: str) -> KindSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["kind"], field)
        unit = self.text(data, "unit", field, required=True)
        one, other = self.label(data, "label", field, key.replace("_", " "))
        refuse: list[tuple[str, str]] = []
        if data.get("refuse_units") is not None:
            table = self.mapping(
                data["refuse_units"], self.where(data, "refuse_units"), f"{field}.refuse_units"
            )
            for unit_name in table if table is not None else {}:
                assert table is not None
                reason = self.text(table, unit_name, f"{field}.refuse_units", required=True)
                refuse.append((unit_name, reason))
        return KindSpec(
            name=key,
            unit=unit,
            label_one=one,
            label_other=other,
            input_units=self.names_list(data, "input_units", field),
            icon=self.icon(data, field),
            description=self.text(data, "description", field),
            location=where,
            pack=self.pack_name,
            refuse_units=tuple(refuse),
            field_locations=tuple(
                (name, data.key_locations[name])
                for name in ("unit", "input_units", "refuse_units")
                if name in data.key_locations
            ),
            presentation=self.presentation(key, data, field),
            negative=self.negative(data, field),
        )

    def negative(self, data: LocatedDict, field: str) -> NegativePolicy:
        value = data.get("negative", DEFAULT_NEGATIVE)
        for policy in NEGATIVE_POLICIES:
            if value == policy:
                return policy
        self.problem(
            self.where(data, "negative"),
            f"{field}.negative",
            f"expected one of {', '.join(NEGATIVE_POLICIES)}, got {_describe(value)}",
            "refuse: a negative amount is an error; nan: it reads as missing; "
            "allow: it is meaningful (a net change)",
        )
        return DEFAULT_NEGATIVE

    def parameter(self, key: str, entry: Any, where: Location, field: str) -> ParameterSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["parameter"], field)
        value = self.text(data, "value", field, required=True, allow_number=True)
        low = self.text(data, "low", field, allow_number=True) or None
        high = self.text(data, "high", field, allow_number=True) or None
        if (low is None) != (high is None):
            self.problem(where, field, "give both 'low' and 'high', or neither")
        source = self.cite(data, "source", field, required=True)
        if not value or source is None:
            return None
        return ParameterSpec(
            name=key,
            value=value,
            low=low,
            high=high,
            source=source,
            edition=self.text(data, "edition", field, allow_number=True) or source.edition,
            note=self.text(data, "note", field),
            assumption=self.flag(data, "assumption", field, False),
            location=where,
            pack=self.pack_name,
        )

    def rule(self, entry: Any, where: Location, field: str) -> RuleSpec | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["rule"], field)
        source_kind = self.text(data, "from", field, required=True)
        target_kind = self.text(data, "to", field, required=True)
        factor = self.text(data, "factor", field, required=True, allow_number=True)
        rule_id = self.text(data, "id", field) or f"{source_kind}_to_{target_kind}"
        sources = [s for s in (self.cite(data, "source", field, required=False),) if s]
        for ref in self.names_list(data, "sources", field):
            if ref in self.sources:
                sources.append(self.sources[ref])
            else:
                self.problem(
                    self.where(data, "sources"),
                    f"{field}.sources",
                    f"unknown source {ref!r}",
                    "add it under 'sources:'",
                )
        if source_kind and source_kind == target_kind:
            self.problem(
                where,
                field,
                f"rule goes from {source_kind!r} to itself",
                "a rule must move a quantity from one kind to another",
            )
        if not (source_kind and target_kind and factor):
            return None
        return RuleSpec(
            id=rule_id,
            source_kind=source_kind,
            target_kind=target_kind,
            factor=factor,
            reversible=self.flag(data, "reversible", field, True),
            preferred=self.flag(data, "preferred", field, False),
            note=self.text(data, "note", field),
            sources=tuple(sources),
            location=where,
            factor_location=self.where(data, "factor"),
            pack=self.pack_name,
        )

    def example(self, entry: Any, where: Location, field: str) -> Example | None:
        data = self.mapping(entry, where, field)
        if data is None:
            return None
        self.check_keys(data, FIELDS["example"], field)
        tolerance = data.get("tolerance", 0.005)
        if (
            not isinstance(tolerance, int | float)
            or isinstance(tolerance, bool)
            or not (0 < tolerance < 1)
        ):
            self.problem(
                self.where(data, "tolerance"),
                f"{field}.tolerance",
                f"expected a relative tolerance between 0 and 1, got {_describe(tolerance)}",
            )
            tolerance = 0.005
        params: list[tuple[str, str]] = []
        if data.get("params") is not None:
            table = self.mapping(data["params"], self.where(data, "params"), f"{field}.params")
            for pname in table if table is not None else {}:
                assert table is not None
                params.append(
                    (
                        pname,
                        self.text(
                            table, pname, f"{field}.params", required=True, allow_number=True
                        ),
                    )
                )
        given = self.text(data, "given", field, required=True)
        to = self.text(data, "to", field, required=True)
        expect = self.text(data, "expect", field, required=True)
        if not (given and to and expect):
            return None
        return Example(
            given=given,
            to=to,
            expect=expect,
            of=self.text(data, "of", field) or None,
            per=self.text(data, "per", field) or None,
            tolerance=float(tolerance),
            low=self.text(data, "low", field) or None,
            high=self.text(data, "high", field) or None,
            params=tuple(params),
            note=self.text(data, "note", field),
            location=where,
            pack=self.pack_name,
        )


def iter_problems(error: PackError) -> Iterator[Problem]:
    """The problems of an error, sorted by location (handy for printing)."""
    yield from sorted(error.problems, key=lambda p: p.location)


def pack_schema() -> dict[str, Any]:
    """The JSON Schema of the pack format (for editors and external validators).

    >>> pack_schema()["properties"]["equivmetrics"]
    {'const': 1, 'description': 'Pack format version.'}
    """
    import json

    text = (resources.files("equivmetrics") / "schema" / "pack-1.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
