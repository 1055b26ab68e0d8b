"""Warm start: the default engine's compiled conversions kept on disk between processes.

A fresh process spends most of its start-up importing pint, building a unit registry and
checking the packs. A conversion the default engine compiled in an earlier process needs none of
that: it is a few floats and the record of its steps. This module keeps those records in one
JSON file per *identity* of the default engine, so the next process answers them at once and
builds the registry and catalog only when it meets a conversion it has not seen.

Policy (see docs/security.md):

* The file is JSON, never pickle, and is read only when both it and its folder belong to the
  current user and are writable by nobody else. Anything unexpected in it (wrong format, types,
  non-finite or non-positive factors) discards the whole file; a warm start never raises.
* The identity is a SHA-256 over the library's own source files (each file's name, size and
  modification time: reading them all would cost more than the warm start saves), the bundled
  pack files' bytes, pint's installed version and the file format: editing a pack or the
  library, or upgrading either library, starts afresh. With
  installed plugin packs, or packs of your own, there is no warm start (their files can change
  without any version changing). The default engine reads units in a scope of its own, so no
  user pack's unit can enter one of its conversions.
* The folder is ``$EQUIVMETRICS_CACHE_DIR`` if set, else the platform's user cache folder;
  ``EQUIVMETRICS_CACHE=off`` switches warm starts off. Records are written when the process
  exits (at most :data:`MAX_ENTRIES`, the most recently compiled kept), atomically; a file that
  cannot be written is logged at debug level on the ``equivmetrics`` logger, never printed.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import json
import math
import os
import stat
import sys
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from equivmetrics._core.locks import new_lock
from equivmetrics._packs.installed import package_folder
from equivmetrics._packs.source import Source
from equivmetrics.exceptions import Location

from .compiled import Compiled
from .compiled import Key as _Key
from .core import Converter
from .result import ParameterUse, Step

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from equivmetrics._catalog.catalog import Catalog

__all__ = ["FORMAT", "MAX_ENTRIES", "cache_folder", "warm_engine"]

#: The record format; /2: a step's ``location`` is a ``{file, line, column}`` record and its
#: ``pack`` is named (in /1 the location was text); /3: each entry carries a ``check`` binding
#: its record to its key. Files of another format are not read.
FORMAT = "equivmetrics.warm/3"
MAX_ENTRIES = 1000
MAX_BYTES = 8 * 1024 * 1024

_lock = new_lock(sys.modules[__name__], "_lock")
_watched: list[tuple[weakref.ref[Converter], Path]] = []
#: The working folder when equivmetrics was imported: a relative ``EQUIVMETRICS_CACHE_DIR`` is
#: read against it, whatever folder the process is in when it reads or writes the file.
try:
    _START: str | None = os.getcwd()
except OSError:  # the working folder was removed: relative folders read as they come
    _START = None


def cache_folder() -> Path | None:
    """Where warm-start files live, or None when warm starts are off."""
    if os.environ.get("EQUIVMETRICS_CACHE", "").strip().lower() in ("off", "0", "no", "false"):
        return None
    chosen = os.environ.get("EQUIVMETRICS_CACHE_DIR")
    if chosen:
        return Path(_START or ".", chosen)  # an absolute path stays as it is
    import platformdirs  # noqa: PLC0415 - only when warm starts are on

    return Path(platformdirs.user_cache_dir("equivmetrics", appauthor=False))


def warm_engine(build: Callable[[], Catalog], pack_files: list[Any]) -> Converter | None:
    """A converter over ``build`` that already knows the conversions of earlier processes.

    None when warm starts are off; otherwise the converter is remembered so that the
    conversions it compiles are saved at exit (see :func:`save_all`).
    """
    folder = cache_folder()
    if folder is None:
        return None
    path = folder / f"{_identity(pack_files)}.json"
    compiled = _read(path)
    engine = Converter(build, compiled=compiled)
    _watch(engine, path)
    return engine


def _identity(pack_files: list[Any]) -> str:
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(_pint_version().encode())
    for name, source in _sources(package_folder(), ""):
        digest.update(f"{name}\0{_stamp(source)}\0".encode())
    for file in pack_files:
        digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:40]


def _stamp(source: Path | Traversable) -> str:
    """A module file's size and modification time (its bytes when it is not a plain file)."""
    try:
        info = os.stat(str(source))
    except OSError:
        return hashlib.sha256(source.read_bytes()).hexdigest()
    return f"{info.st_size}:{info.st_mtime_ns}"


def _pint_version() -> str:
    """pint's installed version, read from its distribution's folder name, without importing
    pint or ``importlib.metadata`` (both cost start-up time a warm start exists to save)."""
    spec = importlib.util.find_spec("pint")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return ""
    package = Path(origin).parent
    found = sorted(p.name for p in package.parent.glob("pint-*.dist-info"))
    info = package.stat()
    return f"{origin}|{'|'.join(found)}|{info.st_mtime_ns}"


def _sources(folder: Path | Traversable, prefix: str) -> list[tuple[str, Path | Traversable]]:
    """Every module of the package (subpackages too), by its path, in a stable order."""
    found: list[tuple[str, Path | Traversable]] = []
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        name = prefix + item.name
        if item.name.endswith(".py"):
            found.append((name, item))
        elif item.is_dir() and item.name.startswith("_") and not item.name.startswith("__"):
            found.extend(_sources(item, name + "/"))
    return found


def _owned(item: Path) -> bool:
    """Whether ``item`` (not a symlink) belongs to this user and nobody else may write it."""
    if not hasattr(os, "getuid"):  # Windows: per-user profile folders; ACLs not checked here
        return item.exists()
    try:
        info = item.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
        return False
    return not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _trusted(path: Path) -> bool:
    """Whether the file at ``path`` may be read: it and its folder are this user's alone."""
    return _owned(path.parent) and _owned(path) and path.is_file()


def _read(path: Path) -> dict[_Key, Compiled]:
    if not _trusted(path):
        return {}
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            return {}
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data["entries"]
        if not isinstance(entries, list):
            return {}
        found = dict(_entry(item) for item in entries[-MAX_ENTRIES:])
        _consistent(found)
        return found
    except Exception:  # a damaged file (even one nested to RecursionError) is no file
        return {}


def _watch(engine: Converter, path: Path) -> None:
    with _lock:
        if not _watched:
            atexit.register(save_all)
        _watched[:] = [(ref, p) for ref, p in _watched if ref() is not None]
        _watched.append((weakref.ref(engine), path))


def save_all() -> None:
    """Write the conversions each watched engine compiled in this process (run at exit)."""
    with _lock:
        watched = list(_watched)
    for ref, path in watched:
        engine = ref()
        if engine is not None:
            new = engine.compiled_since_start()
            if new:
                _write(path, new)


def _write(path: Path, new: Mapping[_Key, Compiled]) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _owned(path.parent):  # never write where others could read it back to us
            return
        merged = _read(path)
        merged.update(new)
        entries = [_record(key, c) for key, c in list(merged.items())[-MAX_ENTRIES:]]
        text = json.dumps({"format": FORMAT, "entries": entries}, allow_nan=False)
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, path)
        finally:
            if temp.exists():
                temp.unlink()
    except (OSError, ValueError, TypeError) as exc:  # best effort: never disturb the host's exit
        import logging  # noqa: PLC0415 - lazy: only a failed write logs, and a warm start never writes

        logging.getLogger("equivmetrics").debug("warm-start file %s not written: %s", path, exc)


# -- records ------------------------------------------------------------------------------------


def _record(key: _Key, compiled: Compiled) -> dict[str, Any]:
    record = attrs.asdict(compiled, filter=lambda field, _: field.name != "_steps")
    record["steps"] = [attrs.asdict(step) for step in compiled.steps]
    return {"key": list(key), "compiled": record, "check": _check(list(key), record)}


def _check(key: Any, record: Any) -> str:
    """A digest of a key and its record together: a record filed under another key (two
    records swapped, one copied over another) no longer matches."""
    text = json.dumps([key, record], sort_keys=True, allow_nan=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _consistent(found: Mapping[_Key, Compiled]) -> None:
    """Records must agree on what their keys share: without ``of=``, one input unit is read
    as one kind whatever the target."""
    kinds: dict[str, str] = {}
    for (unit_text, _kind, of, _unit, _per), compiled in found.items():
        if of is None and kinds.setdefault(unit_text, compiled.source_kind) != (
            compiled.source_kind
        ):
            raise ValueError("one input unit read as two kinds")


def _entry(item: Any) -> tuple[_Key, Compiled]:
    if set(item) != {"key", "compiled", "check"} or item["check"] != _check(
        item["key"], item["compiled"]
    ):
        raise ValueError("the record is not the key's conversion")
    raw_key = item["key"]
    if not isinstance(raw_key, list) or len(raw_key) != 5:
        raise ValueError("bad key")
    if not isinstance(raw_key[0], str) or not isinstance(raw_key[1], str):
        raise TypeError("bad key")
    if not all(part is None or isinstance(part, str) for part in raw_key[2:]):
        raise TypeError("bad key")
    key: _Key = (raw_key[0], raw_key[1], raw_key[2], raw_key[3], raw_key[4])
    data = dict(item["compiled"])
    data["steps"] = tuple(_step(step) for step in data["steps"])
    compiled = _typed(Compiled, data)
    if not 0.0 < compiled.factor_low <= compiled.factor <= compiled.factor_high < math.inf:
        raise ValueError("bad factor")
    if compiled.negative not in ("allow", "nan", "refuse"):
        raise ValueError("bad policy")
    shown = key[0] if key[4] is None else f"{key[0]} per {key[4].strip()}"
    if compiled.kind != key[1] or compiled.input_unit != shown:
        raise ValueError("the record is not the key's conversion")
    if key[2] is not None and compiled.source_kind != key[2]:
        raise ValueError("the record is not the key's conversion")
    return key, compiled


def _step(raw: Any) -> Step:
    data = dict(raw)
    data["parameters"] = tuple(_parameter(p) for p in data["parameters"])
    data["sources"] = tuple(_typed(Source, dict(s)) for s in data["sources"])
    data["location"] = _typed(Location, dict(data["location"]))
    step: Step = _typed(Step, data)
    return step


def _parameter(raw: Any) -> ParameterUse:
    data = dict(raw)
    if data["source"] is not None:
        data["source"] = _typed(Source, dict(data["source"]))
    use: ParameterUse = _typed(ParameterUse, data)
    return use


#: JSON writes every float with a point or an exponent, so a float field reads back as a float.
_SCALARS: dict[str, type] = {"str": str, "bool": bool, "float": float, "int": int}


def _typed(cls: Any, data: dict[str, Any]) -> Any:
    """``cls(**data)`` after checking every plain field's type (a file is only data)."""
    names = {field.alias for field in attrs.fields(cls)}
    if set(data) != names:
        raise KeyError(f"{cls.__name__} fields")
    for field in attrs.fields(cls):
        want = _SCALARS.get(str(field.type))
        value = data[field.alias]
        if want is not None:
            if type(value) is not want:
                raise TypeError(f"{cls.__name__}.{field.name}")
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"{cls.__name__}.{field.name}")
    return cls(**data)
