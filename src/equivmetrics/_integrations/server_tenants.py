"""The HTTP service's tenants: read from a YAML file, one engine each, reloaded when it changes.

The file (docs/service.md, "Tenants") maps tenant ids to ``params``, ``region``, ``edition``,
``currency``, ``locale`` and ``packs`` (the tenant's own pack files, relative to the file);
``default`` names the tenant a request without ``X-Tenant`` gets.
Every engine is built when the file is read and shared by every request of that tenant. The
file is read again when its modification time or size changes (checked at most once a
second); a file that no longer reads or builds keeps the tenants already in service and logs why.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from equivmetrics._api.engine import Engine
from equivmetrics._api.load import load
from equivmetrics._core.locks import new_lock
from equivmetrics._packs.yaml import Limits, YamlFailure, read_yaml
from equivmetrics.exceptions import EquivMetricsError, InputValueError

from .stream import Bridge

__all__ = ["Tenant", "TenantFileError", "Tenants", "read_tenants"]

log = logging.getLogger("equivmetrics.server")

#: The largest tenant file read (bytes) and the most tenants it may declare.
MAX_FILE_BYTES = 1 << 20
MAX_TENANTS = 1000

_FIELDS = frozenset({"params", "region", "edition", "currency", "locale", "packs"})
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COMMANDS = ("convert", "feel-good", "action")


class TenantFileError(InputValueError):
    """A tenant file that cannot be read or whose tenants cannot be built."""


@attrs.frozen
class Tenant:
    """One tenant: its engine (built once) and a request bridge per command over it."""

    id: str
    engine: Engine
    region: str
    currency: str | None
    locale: str
    overrides: Mapping[str, Any]
    bridges: Mapping[str, Bridge]

    @classmethod
    def build(cls, tenant_id: str, spec: Mapping[str, Any], folder: str = ".") -> Tenant:
        """The tenant ``tenant_id`` of the file's entry ``spec`` (already checked); its
        ``packs`` are files or folders relative to ``folder`` (the tenant file's)."""
        packs = [os.path.join(folder, pack) for pack in spec.get("packs") or ()]
        engine = load(*packs, region=spec.get("region"), edition=spec.get("edition"))
        params = dict(spec.get("params") or {})
        if params:
            engine = engine.with_params(**params)
        return cls(
            id=tenant_id,
            engine=engine,
            region=engine.region,
            currency=spec.get("currency"),
            locale=spec.get("locale") or "en",
            overrides=params,
            bridges={command: Bridge(engine, command) for command in _COMMANDS},
        )


def _check_entry(tenant_id: Any, spec: Any) -> dict[str, Any]:
    if not isinstance(tenant_id, str) or not _ID.fullmatch(tenant_id):
        raise TenantFileError(f"tenant id {tenant_id!r} must be 1-64 letters, digits, _ . -")
    spec = {} if spec is None else spec
    if not isinstance(spec, dict):
        raise TenantFileError(f"tenant {tenant_id}: expected a mapping of {sorted(_FIELDS)}")
    unknown = sorted(set(spec) - _FIELDS)
    if unknown:
        raise TenantFileError(f"tenant {tenant_id}: unknown field {unknown[0]!r}")
    for name in ("region", "currency", "locale"):
        if spec.get(name) is not None and not isinstance(spec[name], str):
            raise TenantFileError(f"tenant {tenant_id}: {name} must be text")
    params = spec.get("params") or {}
    if not isinstance(params, dict) or not all(isinstance(name, str) for name in params):
        raise TenantFileError(f"tenant {tenant_id}: params must map parameter names to values")
    if spec.get("currency") is not None:
        _check_currency(tenant_id, spec["currency"], params)
    packs = spec.get("packs") or []
    if not isinstance(packs, list) or not all(isinstance(p, str) and p for p in packs):
        raise TenantFileError(
            f"tenant {tenant_id}: packs must be a list of pack files or folders, relative to "
            "the tenant file"
        )
    return dict(spec)


def _check_currency(tenant_id: str, currency: str, params: Mapping[str, Any]) -> None:
    """The tenant's money figures must be in its currency."""
    if not _CURRENCY.fullmatch(currency):
        raise TenantFileError(f"tenant {tenant_id}: currency {currency!r} is no ISO 4217 code")
    for name, value in params.items():
        codes = set(_CURRENCY.findall(str(value))) - {currency}
        if codes:
            raise TenantFileError(
                f"tenant {tenant_id}: params.{name} is in {sorted(codes)[0]}, "
                f"the tenant's currency is {currency}"
            )


def read_tenants(path: str | os.PathLike[str]) -> tuple[dict[str, Tenant], str | None]:
    """Every tenant of the file at ``path``, built, and the default tenant's id (or None)."""
    origin = os.fspath(path)
    raw = Path(origin).read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise TenantFileError(f"{origin}: over {MAX_FILE_BYTES} bytes")
    try:
        data = read_yaml(raw.decode("utf-8"), origin, Limits(max_bytes=MAX_FILE_BYTES))
    except (YamlFailure, UnicodeDecodeError) as exc:
        raise TenantFileError(f"{origin}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("tenants"), dict):
        raise TenantFileError(f"{origin}: expected a mapping with 'tenants:' (and 'default:')")
    unknown = sorted(set(data) - {"tenants", "default"})
    if unknown:
        raise TenantFileError(f"{origin}: unknown field {unknown[0]!r}")
    entries = data["tenants"]
    if not entries or len(entries) > MAX_TENANTS:
        raise TenantFileError(f"{origin}: declare 1 to {MAX_TENANTS} tenants")
    default = data.get("default")
    if default is not None and default not in entries:
        raise TenantFileError(f"{origin}: default {default!r} is not a tenant of the file")
    folder = os.path.dirname(os.path.abspath(origin))
    built = {tenant_id: _build(tenant_id, spec, folder) for tenant_id, spec in entries.items()}
    return built, default


def _build(tenant_id: Any, spec: Any, folder: str) -> Tenant:
    checked = _check_entry(tenant_id, spec)
    try:
        return Tenant.build(tenant_id, checked, folder)
    except EquivMetricsError as exc:
        raise TenantFileError(f"tenant {tenant_id}: {exc}") from None


class Tenants:
    """The tenants in service: from a file (reloaded when it changes) or one default engine."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = None if path is None else os.fspath(path)
        self._lock = new_lock(self, "_lock")
        self._checked = 0.0
        self._stamp: tuple[int, int] | None = None
        if self.path is None:
            self._tenants = {"default": Tenant.build("default", {})}
            self._default: str | None = "default"
        else:
            self._stamp = self._file_stamp()
            self._tenants, self._default = read_tenants(self.path)

    def _file_stamp(self) -> tuple[int, int] | None:
        assert self.path is not None
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size

    def ids(self) -> list[str]:
        """The tenant ids in service."""
        self.refresh()
        return sorted(self._tenants)

    def get(self, tenant_id: str | None) -> Tenant | None:
        """The tenant ``tenant_id`` (the default one for ``None``); None if there is none."""
        self.refresh()
        key = self._default if tenant_id is None else tenant_id
        return None if key is None else self._tenants.get(key)

    def refresh(self, *, force: bool = False) -> bool:
        """Read the file again if it changed (at most once a second); True if reloaded."""
        if self.path is None:
            return False
        now = time.monotonic()
        if not force and now - self._checked < 1.0:
            return False
        with self._lock:
            self._checked = now
            stamp = self._file_stamp()
            if stamp is None or (stamp == self._stamp and not force):
                return False
            self._stamp = stamp
            try:
                tenants, default = read_tenants(self.path)
            except Exception as exc:  # whatever the file holds, keep serving
                log.error("tenant file %s not reloaded, the old tenants kept: %s", self.path, exc)
                return False
            self._tenants, self._default = tenants, default
            log.info("tenant file %s reloaded: %d tenants", self.path, len(tenants))
            return True
