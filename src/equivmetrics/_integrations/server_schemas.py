"""The JSON Schemas of the HTTP service's answers, for its OpenAPI document.

Each names the fields a dashboard reads and their types, in the shapes the library's
``to_dict`` methods write (``equivmetrics.result/1``, ``equivmetrics.equivalent/1``, their
compact forms, ``equivmetrics.report/1``, ``equivmetrics.scorecard/1``); the test suite checks
real answers of a running service against them. Fields a shape may add later are allowed
(``additionalProperties`` is left open), so a new field is not a breaking change.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMPONENTS", "RESPONSES"]

_NUMBER = {"type": ["number", "null"]}  # strict JSON: a non-finite float is null
_MAGNITUDE = {"oneOf": [_NUMBER, {"type": "array", "items": _NUMBER}]}
_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_OBJECTS = {"type": "array", "items": {"type": "object"}}


def _object(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **optional},
    }


_RESULT = _object(
    {"schema": _TEXT, "kind": _TEXT, "magnitude": _MAGNITUDE, "low": _MAGNITUDE,
     "high": _MAGNITUDE, "unit": _TEXT, "region": _TEXT, "editions": _TEXTS},
    input={"type": "object"}, factor=_NUMBER, steps=_OBJECTS, sources=_OBJECTS,
)  # fmt: skip
_EQUIVALENT = _object(
    {"schema": _TEXT, "kind": _TEXT, "role": _TEXT, "magnitude": _NUMBER, "low": _NUMBER,
     "high": _NUMBER, "unit": _TEXT, "text": _TEXT, "icon": _TEXT, "region": _TEXT,
     "editions": _TEXTS, "sources": _OBJECTS},
    value_text=_TEXT, range_text=_TEXT, label=_TEXT, family=_TEXT, locale=_TEXT,
    language=_TEXT, steps=_OBJECTS,
)  # fmt: skip
_REF = {name: {"$ref": f"#/components/schemas/{name}"} for name in ("Result", "Equivalent")}
_SCORECARD = _object(
    {"schema": _TEXT, "period": _TEXT, "history": _TEXTS, "teams": _TEXTS,
     "rule": {"type": "object"}, "scores": _OBJECTS, "weak_links": _OBJECTS,
     "realised": _OBJECTS, "at_stake": _OBJECTS, "notes": _TEXTS},
    per=_TEXT,
)  # fmt: skip
_REPORT = _object(
    {"schema": _TEXT, "title": _TEXT, "locale": _TEXT, "language": _TEXT,
     "period": _object({"label": _TEXT, "start": _TEXT, "end": _TEXT,
                        "days": {"type": "integer"}}),
     "since": _TEXT,
     "figures": {"type": "array", "items": _object({"label": _TEXT, "value": _TEXT})},
     "input": {"type": "object"}, "total": _REF["Result"], "cumulative": _REF["Result"],
     "feel_good": {"type": "array", "items": _REF["Equivalent"]},
     "action": {"type": "array", "items": _REF["Equivalent"]},
     "chart": _object({"title": _TEXT, "alt": _TEXT, "language": _TEXT}),
     "scorecard": {"oneOf": [{"$ref": "#/components/schemas/Scorecard"}, {"type": "null"}]}},
)  # fmt: skip
_ID = {"description": "the request's id, echoed back"}

#: Reusable schemas of the OpenAPI document.
COMPONENTS: dict[str, Any] = {
    "Result": _RESULT, "Equivalent": _EQUIVALENT, "Report": _REPORT, "Scorecard": _SCORECARD,
}  # fmt: skip

#: A JSON answer's schema, by the endpoint's handler and path.
RESPONSES: dict[str, Any] = {
    "/v1/convert": {"allOf": [_REF["Result"], _object({}, id=_ID)]},
    "/v1/feel-good": _object(
        {"equivalents": {"type": "array", "items": _REF["Equivalent"]}}, id=_ID
    ),
    "/v1/action": _object({"equivalents": {"type": "array", "items": _REF["Equivalent"]}}, id=_ID),
    "/v1/explain": _object({"locale": _TEXT, "text": _TEXT}, id=_ID),
    "/v1/report": {"$ref": "#/components/schemas/Report"},
    "/v1/scorecard": {"$ref": "#/components/schemas/Scorecard"},
    "/v1/packs": _OBJECTS,
    "/v1/kinds": {"type": "array", "items": _object({"name": _TEXT, "unit": _TEXT})},
    "/v1/parameters": {"type": "object", "additionalProperties": {"type": "object"}},
    "/v1/regions": _object({"tenant_region": _TEXT}),
    "/healthz": _object({"status": {"const": "ok"}}),
    "/readyz": _object({"status": {"const": "ready"}, "tenants": _TEXTS}),
    "/openapi.json": _object({"openapi": _TEXT, "info": {"type": "object"},
                              "paths": {"type": "object"}}),
}  # fmt: skip
