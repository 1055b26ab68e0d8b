"""The HTTP service's endpoints, one table, and the OpenAPI 3.1 document generated from it.

The service's routes are built from :data:`ENDPOINTS` and :func:`openapi` describes exactly
those, so the document cannot drift from the routes (a test holds every route to it).
"""

from __future__ import annotations

from typing import Any

import attrs

from equivmetrics._core.options import OPTIONS
from equivmetrics._version import __version__

from .server_documents import REPORT_FIELDS, SCORECARD_FIELDS
from .server_schemas import COMPONENTS, RESPONSES
from .stream import COMMANDS

__all__ = ["ENDPOINTS", "Endpoint", "openapi"]


@attrs.frozen
class Endpoint:
    """One route: its method, the :class:`~.server.Service` method, what it does and returns."""

    method: str
    handler: str
    summary: str
    fields: frozenset[str] | None = None  # a JSON body's fields (None: no body)
    tenant: bool = True  # chosen with X-Tenant
    media: str = "application/json"
    also: tuple[str, ...] = ()  # other media types of a 200 answer (a "format" field)
    required: tuple[str, ...] = ("quantity",)  # the body's required fields
    schemas: str = ""  # the table of this endpoint's own field schemas (_DOCUMENT_FIELDS)


_EXPLAIN = COMMANDS["convert"] | {"locale", "compact"}
_CARD = COMMANDS["feel-good"] | {"role", "title", "heading_level", "compact"}

#: Every route of the service, by path.
ENDPOINTS: dict[str, Endpoint] = {
    "/v1/convert": Endpoint(
        "POST", "command", "Convert a quantity to a kind (Result.to_dict)",
        COMMANDS["convert"] | {"compact"}, required=("quantity", "to"),
    ),
    "/v1/feel-good": Endpoint(
        "POST", "command", "Feel-good equivalents ({equivalents: [...]})",
        COMMANDS["feel-good"] | {"compact"},
    ),
    "/v1/action": Endpoint(
        "POST", "command", "Action equivalents ({equivalents: [...]})",
        COMMANDS["action"] | {"compact"},
    ),
    "/v1/explain": Endpoint(
        "POST", "explain", "How a conversion is computed, with sources ({text})", _EXPLAIN,
        required=("quantity", "to"),
    ),
    "/v1/card": Endpoint(
        "POST", "card", "The HTML card of feel-good or action equivalents", _CARD,
        media="text/html",
    ),
    "/v1/report": Endpoint(
        "POST", "report", "A value report (equivmetrics.report/1; format html, text or pdf)",
        REPORT_FIELDS, also=("text/html", "text/plain", "application/pdf"),
        required=("values",), schemas="report",
    ),
    "/v1/scorecard": Endpoint(
        "POST", "scorecard", "An adoption scorecard (equivmetrics.scorecard/1; html or text)",
        SCORECARD_FIELDS, also=("text/html", "text/plain"), required=(), schemas="scorecard",
    ),
    "/v1/icons/{name}.svg": Endpoint(
        "GET", "icon", "A shipped icon", tenant=False, media="image/svg+xml"
    ),
    "/v1/packs": Endpoint("GET", "packs", "The tenant's packs, kinds and parameters"),
    "/v1/kinds": Endpoint("GET", "kinds", "The tenant's kinds"),
    "/v1/parameters": Endpoint("GET", "parameters", "The tenant's parameter values"),
    "/v1/regions": Endpoint("GET", "regions", "Regions with figures and their editions"),
    "/healthz": Endpoint("GET", "healthz", "Liveness: the process answers", tenant=False),
    "/readyz": Endpoint("GET", "readyz", "Readiness: every tenant's engine is built", tenant=False),
    "/openapi.json": Endpoint("GET", "openapi", "This OpenAPI document", tenant=False),
}  # fmt: skip

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": ["string", "null"]},
                # a ScorecardError's fields (422): why, and the indicator, team and period
                "problem": {"type": "string"},
                "indicator": {"type": "string"},
                "team": {"type": "string"},
                "period": {"type": "string"},
            },
        }
    },
}

_ERROR_REF = {"$ref": "#/components/schemas/Error"}

_STATUSES = {
    "400": "Malformed request (code bad_request; field names the culprit)",
    "404": "Unknown tenant, route or icon",
    "413": "Body over 1 MiB",
    "422": "A well-formed request the library refuses (the error's stable code)",
}


_MAGNITUDE = {
    "oneOf": [{"type": "number"}, {"type": "array", "items": {"type": ["number", "null"]}}]
}
_TEXT_OR_NULL = {"type": ["string", "null"]}
#: The request fields besides the shared options, as JSON Schema.
_FIELDS: dict[str, dict[str, Any]] = {
    "id": {"description": "any JSON value, echoed back"},
    "quantity": {
        "oneOf": [
            {"type": "string", "examples": ["12000 transaction/month"]},
            {"type": "array", "prefixItems": [_MAGNITUDE, {"type": "string"}], "items": False},
        ]
    },
    "to": {"type": "string", "description": "the target kind"},
    "params": {"type": ["object", "null"], "description": "parameter overrides, as with_params"},
    "region": _TEXT_OR_NULL,
    "edition": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}},
                          {"type": "null"}]},
    "compact": {"type": ["boolean", "null"]},
    "role": {"enum": ["feel-good", "action", None]},
    "title": _TEXT_OR_NULL,
    "heading_level": {"type": ["integer", "null"], "minimum": 1, "maximum": 6},
}  # fmt: skip
_NUMBERS = {"type": "object", "additionalProperties": {"type": ["number", "string"]}}
_SCORECARD: dict[str, dict[str, Any]] = {
    "data": {
        "type": ["object", "null"],
        "description": "{period: {team: {number: value}}}",
        "additionalProperties": {"type": "object", "additionalProperties": _NUMBERS},
    },
    "rows": {
        "type": ["array", "null"],
        "description": "[{period, team, number: value, ...}]",
        "items": {"type": "object"},
    },
    "period": {"type": ["string", "null"], "description": "the period scored (default the last)"},
    "teams": {"type": ["array", "null"], "items": {"type": "string"}},
    "indicators": {
        "type": ["array", "null"],
        "items": {"type": "string"},
        "description": "the packs' indicators to use (default all)",
    },
    "reference": {"enum": ["median", "mean", "target", None]},
    "tolerance": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
    "signed": {"type": ["boolean", "null"]},
    "locale": _TEXT_OR_NULL,
    "format": {"enum": ["json", "html", "text", None]},
}
_REPORT: dict[str, dict[str, Any]] = {
    "values": {
        "oneOf": [
            {
                "type": "object",
                "additionalProperties": {"type": ["number", "string"]},
                "examples": [{"2025-01": 12000, "2025-02": 13500}],
            },
            {
                "type": "array",
                "items": {
                    "type": "array",
                    "prefixItems": [{"type": "string"}, {"type": ["number", "string"]}],
                    "items": False,
                },
            },
        ],
        "description": "a total per calendar period: a number (in unit) or a quantity's text",
    },
    "unit": {
        "type": ["string", "null"],
        "description": "the totals' unit, e.g. transaction (needed when totals are numbers)",
    },
    "to": {"type": ["string", "null"], "description": "the kind reported (manual_work)"},
    "period": {
        "enum": ["month", "quarter", "year", None],
        "description": "report months, or months summed per quarter or year",
    },
    "at": {"type": ["string", "null"], "description": "the period reported (default the last)"},
    "since": {"type": ["string", "null"], "description": "where the cumulative total starts"},
    "trend": {"type": ["integer", "null"], "minimum": 1, "maximum": 120},
    "format": {"enum": ["json", "html", "text", "pdf", None]},
    "scorecard": {
        "type": ["object", "null"],
        "description": "a scorecard request's fields: adds the scorecard's section",
        "properties": {k: v for k, v in _SCORECARD.items() if k != "format"},
        "additionalProperties": False,
    },
}
#: Fields whose meaning is the endpoint's own (a report's ``unit`` is its totals').
_DOCUMENT_FIELDS: dict[str, dict[str, dict[str, Any]]] = {
    "report": _REPORT,
    "scorecard": _SCORECARD,
}
_OPTION_TYPES: dict[str, dict[str, Any]] = {
    "text": _TEXT_OR_NULL,
    "names": {"type": ["array", "null"], "items": {"type": "string"}},
    "whole": {"type": ["integer", "null"]},
}


def _field(name: str, table: str = "") -> dict[str, Any]:
    """A request field's JSON Schema: the endpoint's own, the shared options' from their
    table, the rest above."""
    own = _DOCUMENT_FIELDS.get(table, {}).get(name) or _SCORECARD.get(name) if table else None
    if own is not None:
        return own
    option = OPTIONS.get(name)
    if option is None:
        return _FIELDS.get(name, {})
    if option.type == "choice":
        return {"enum": [*option.choices, None], "description": option.help}
    return {**_OPTION_TYPES[option.type], "description": option.help}


def _operation(path: str, endpoint: Endpoint) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "operationId": path.strip("/").replace("/", "_").replace("{name}.svg", "icon"),
        "responses": {
            "200": {
                "description": "OK",
                "content": {
                    media: {
                        "schema": RESPONSES.get(path, {"type": "object"})
                        if "json" in media
                        else {"type": "string", **({"format": "binary"} if "pdf" in media else {})}
                    }
                    for media in (endpoint.media, *endpoint.also)
                },
            },
            **{
                status: {
                    "description": text,
                    "content": {"application/json": {"schema": _ERROR_REF}},
                }
                for status, text in _STATUSES.items()
            },
        },
    }  # fmt: skip
    parameters: list[dict[str, Any]] = []
    if endpoint.tenant:
        parameters.append(
            {"name": "X-Tenant", "in": "header", "required": False, "schema": {"type": "string"}}
        )
    if "{name}" in path:
        parameters.append(
            {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
        )
    if parameters:
        operation["parameters"] = parameters
    if endpoint.fields is not None:
        schema = {
            "type": "object",
            "required": list(endpoint.required),
            "properties": {
                name: _field(name, endpoint.schemas) for name in sorted(endpoint.fields)
            },
            "additionalProperties": False,
        }
        if endpoint.schemas == "scorecard":
            schema["anyOf"] = [{"required": ["data"]}, {"required": ["rows"]}]
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": schema}},
        }
    return operation


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of every route of :data:`ENDPOINTS`."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "equivmetrics", "version": __version__},
        "paths": {
            path: {endpoint.method.lower(): _operation(path, endpoint)}
            for path, endpoint in ENDPOINTS.items()
        },
        "components": {"schemas": {"Error": _ERROR, **COMPONENTS}},
    }
