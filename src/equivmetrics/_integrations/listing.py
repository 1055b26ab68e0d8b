"""What an engine holds, as JSON-ready data: its packs, regions, kinds and parameters.

Shared by the command line (``packs --json``, ``regions --json``) and the HTTP service
(``GET /v1/packs``, ``/v1/regions``, ``/v1/kinds``, ``/v1/parameters``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from equivmetrics._api.engine import Engine
from equivmetrics.exceptions import Location

__all__ = ["kinds_data", "pack_parameter", "packs_data", "parameters_data", "regions_data"]


def regions_data(engine: Engine) -> dict[str, Any]:
    """``{"schema": "equivmetrics.regions/1", "regions": [...]}``: each region and its editions."""
    rows = [
        {
            "code": info.code,
            "name": info.name,
            "editions": [
                {
                    "topic": topic,
                    "edition": edition,
                    "pack": pack,
                    "default": edition in info.defaults,
                }
                for topic, edition, pack in info.editions
            ],
        }
        for info in engine.regions()
    ]
    return {"schema": "equivmetrics.regions/1", "regions": rows}


def pack_parameter(spec: Any, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A pack parameter as ``packs --json`` shows it; a tenant's override has no source."""
    if spec.name in overrides:  # the tenant's own figure: no source, no assumption
        return {
            "value": overrides[spec.name],
            "low": None,
            "high": None,
            "source": None,
            "origin": "tenant",
        }
    return {
        "value": spec.value,
        "low": spec.low,
        "high": spec.high,
        "source": spec.source.cite(),
        "origin": "pack",
    }


def packs_data(engine: Engine, overrides: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each pack of ``engine``: name, edition, region, title, file, kinds and parameters."""
    return [
        {
            "name": p.name,
            "edition": p.edition,
            "region": p.region,
            "title": p.title,
            "file": Location(p.origin).name,
            "kinds": [k.name for k in p.kinds],
            "parameters": {q.name: pack_parameter(q, overrides) for q in p.parameters},
        }
        for p in engine.catalog.packs
    ]


def kinds_data(engine: Engine) -> list[dict[str, Any]]:
    """Each kind of ``engine``: name, unit, labels, icon, pack and the units it claims."""
    return [
        {
            "name": kind.name,
            "unit": kind.unit,
            "label_one": kind.label_one,
            "label_other": kind.label_other,
            "icon": kind.icon,
            "description": kind.description,
            "pack": kind.pack,
            "input_units": list(kind.input_units),
        }
        for kind in engine.kinds.values()
    ]


def parameters_data(engine: Engine) -> dict[str, dict[str, Any]]:
    """Every parameter's value as ``engine`` uses it (overrides applied), with its range."""
    return {
        name: {
            "value": value.central,
            "low": value.low,
            "high": value.high,
            "unit": f"{value.unit:~}",
        }
        for name, value in engine.parameters.items()
    }
