"""The JSON-lines bridge: one request per line in, one response per line out, in order.

Another program keeps ``equivmetrics convert --json -`` (or ``feel-good``/``action``) open,
writes a request object per line and reads back one line per request (docs/cli.md, "JSON
stream"). A request's fields mirror the keyword arguments of the matching :class:`Engine`
method; ``params`` derives a tenant engine with :meth:`Engine.with_params` (cached per
distinct ``params``, least recently used dropped first). Every response line is valid JSON:
NaN and infinities become ``null``. A bad request gets an error line and the stream goes on.

>>> import io
>>> import equivmetrics as em
>>> from equivmetrics._integrations.stream import Bridge
>>> out = io.StringIO()
>>> Bridge(em.load(), "convert").serve(
...     io.BytesIO(b'{"id": 1, "quantity": "12000 transaction/month", "to": "manual_work"}\\n'),
...     out,
... )
0
>>> import json
>>> response = json.loads(out.getvalue())
>>> response["id"], response["magnitude"], response["unit"]
(1, 600.0, 'hour/month')
"""

from __future__ import annotations

import collections
import json
import math
from collections.abc import Mapping
from typing import IO, Any

from equivmetrics._api.engine import Engine
from equivmetrics._core.negative import check_policy
from equivmetrics._core.options import COMMAND_OPTIONS, Option, options_of
from equivmetrics.exceptions import EquivMetricsError, InputError, InputValueError

__all__ = [
    "COMMANDS",
    "MAX_LINE_BYTES",
    "Bridge",
    "RequestError",
    "dumps",
    "json_type",
    "parse_request",
]

#: The most bytes one request line may hold (newline excluded).
MAX_LINE_BYTES = 1 << 20

#: What JSON counts as white space (RFC 8259): a line of only these is blank and skipped.
_JSON_WHITESPACE = " \t\r\n"

#: Tenant engines kept per process, one per distinct ``params`` object.
MAX_TENANTS = 256

#: The fields each command's requests may have; ``quantity`` (and ``to`` for convert) required.
#: Besides ``id``, ``quantity``, ``to``, ``params``, ``region`` and ``edition`` they are the
#: shared options.
COMMANDS: dict[str, frozenset[str]] = {
    command: frozenset(
        {
            "id",
            "quantity",
            "params",
            "region",
            "edition",
            *(("to",) if command == "convert" else ()),
            *names,
        }
    )
    for command, names in COMMAND_OPTIONS.items()
}

#: Fields every request may have that choose the response's shape, not the conversion.
SHAPE_FIELDS = frozenset({"compact"})


class RequestError(InputError):
    """A request line that is not a well-formed request; ``field`` names the culprit if any.

    Internal to the stream: :meth:`Bridge.answer` turns it into an error line with the code
    ``bad_request``, and it never reaches a caller of the library.
    """

    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message, value=field)


def dumps(data: Any) -> str:
    """One line of strict JSON: non-finite floats become ``null`` (they are not JSON)."""
    try:
        return json.dumps(data, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(data), allow_nan=False)


def _finite(data: Any) -> Any:
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, Mapping):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


def _refuse_constant(name: str) -> Any:
    raise RequestError(f"{name} is not JSON; send null for a missing number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise RequestError(f"number {text[:40]} is too large for a float")
    return value


def parse_request(line: bytes | str) -> dict[str, Any] | None:
    """One request (a JSON object) from a line or body; ``None`` when it is blank."""
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
    except UnicodeDecodeError as exc:
        raise RequestError(f"request line is not UTF-8 ({exc.reason})") from None
    if not text.strip(_JSON_WHITESPACE):
        return None
    try:
        request = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:  # RequestError is not a ValueError
        raise RequestError(f"request line is not valid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise RequestError(f"a request must be a JSON object, not {json_type(request)}")
    return request


class Bridge:
    """Answers JSON requests for one command (``convert``, ``feel-good`` or ``action``)."""

    def __init__(
        self,
        engine: Engine,
        command: str,
        *,
        max_tenants: int = MAX_TENANTS,
        compact: bool = False,
    ) -> None:
        if command not in COMMANDS:
            raise InputValueError(
                f"no JSON stream for {command!r}; use one of {', '.join(COMMANDS)}",
                value=command,
            )
        self.engine = engine
        self.command = command
        self.fields = COMMANDS[command] | SHAPE_FIELDS
        self._tenants: collections.OrderedDict[str, Engine] = collections.OrderedDict()
        self._max_tenants = max_tenants
        self.compact = compact

    def serve(self, stdin: IO[bytes], stdout: IO[str]) -> int:
        """Answer every request line of ``stdin`` on ``stdout``, flushing after each.

        Blank lines are skipped. Returns 0 when every request succeeded, else 1.
        """
        failed = False
        while True:
            line = stdin.readline(MAX_LINE_BYTES + 1)
            if not line:
                return 1 if failed else 0
            if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                while True:  # skip the rest of the overlong line
                    rest = stdin.readline(MAX_LINE_BYTES)
                    if not rest or rest.endswith(b"\n"):
                        break
                response: dict[str, Any] | None = _error(
                    None,
                    RequestError(
                        f"request line longer than {MAX_LINE_BYTES} bytes; send one "
                        "request per line"
                    ),
                )
            else:
                response = self.answer(line)
            if response is None:
                continue
            failed = failed or "error" in response
            stdout.write(dumps(response) + "\n")
            stdout.flush()

    def answer(self, line: bytes | str) -> dict[str, Any] | None:
        """The response to one request line (``None`` for a blank line)."""
        request_id: Any = None
        try:
            request = parse_request(line)
            if request is None:
                return None  # other characters (a form feed, U+001C) are no blank: an error
            request_id = request.get("id")
            return {"id": request_id, **self.run(request)}
        except EquivMetricsError as exc:
            return _error(request_id, exc)
        except Exception as exc:  # a bug must not end the stream: report it on this line
            return {
                "id": request_id,
                "error": {
                    "code": "internal_error",
                    "message": f"{type(exc).__name__}: {exc} (please report this)",
                    "field": None,
                },
            }

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """A parsed request's answer as JSON-ready data (without ``id``)."""
        found = self.call(request)
        compact = _flag(request, "compact", self.compact)
        if self.command == "convert":
            return dict(found.to_dict(compact=compact))
        return {"equivalents": found.to_dicts(compact=compact)}

    def call(self, request: dict[str, Any]) -> Any:
        """Check a parsed request and run it: a ``Result`` for convert, else the equivalents."""
        unknown = sorted(set(request) - self.fields)
        if unknown:
            raise RequestError(
                f"unknown field {unknown[0]!r} in a {self.command} request; fields are "
                f"{', '.join(sorted(self.fields))}",
                field=unknown[0],
            )
        quantity = _quantity(request)
        engine = self._tenant(request.get("params"), _place(request))
        options = {option.name: _option(request, option) for option in options_of(self.command)}
        if self.command == "convert":
            to = request.get("to")
            if "to" not in request or not isinstance(to, str):
                raise RequestError(
                    "field 'to' must name the target kind (a string), e.g. \"fte\"", field="to"
                )
            return engine.convert(quantity, to, **options)
        options["locale"] = options["locale"] or "en"
        offer = engine.feel_good if self.command == "feel-good" else engine.action
        return offer(quantity, **options)

    def _tenant(
        self, params: Any, place: tuple[str | None, tuple[str, ...] | None] = (None, None)
    ) -> Engine:
        if (params is None or params == {}) and place == (None, None):
            return self.engine
        params = {} if params is None else params
        if not isinstance(params, dict):
            raise RequestError(
                "field 'params' must be an object of parameter names to values, "
                f'e.g. {{"body_mass": "80 kg"}}, not {json_type(params)}',
                field="params",
            )
        for name, value in params.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float | dict):
                raise RequestError(
                    f'params.{name} must be text such as "80 kg", a number, or an object '
                    f"with value/low/high, not {json_type(value)}",
                    field=f"params.{name}",
                )
        key = json.dumps([params, place], sort_keys=True)
        tenant = self._tenants.get(key)
        if tenant is not None:
            self._tenants.move_to_end(key)
            return tenant
        tenant = self.engine
        if place != (None, None):
            tenant = tenant.with_region(place[0] or tenant.region, edition=place[1])
        tenant = tenant.with_params(**params) if params else tenant
        self._tenants[key] = tenant
        if len(self._tenants) > self._max_tenants:
            self._tenants.popitem(last=False)
        return tenant


def _place(request: dict[str, Any]) -> tuple[str | None, tuple[str, ...] | None]:
    """A request's ``region`` (text) and ``edition`` (text or a list of text)."""
    region, edition = request.get("region"), request.get("edition")
    if region is not None and (not isinstance(region, str) or not region.strip()):
        raise RequestError(
            f"field 'region' must be a region code such as \"GB\", not {json_type(region)}",
            field="region",
        )
    editions = [edition] if isinstance(edition, str) else edition
    if editions is not None and not (
        isinstance(editions, list) and all(isinstance(e, str) for e in editions)
    ):
        raise RequestError(
            "field 'edition' must be an edition name such as \"eGRID2022\" or a list of them, "
            f"not {json_type(edition)}",
            field="edition",
        )
    return region, None if editions is None else tuple(editions)


def _error(request_id: Any, exc: EquivMetricsError) -> dict[str, Any]:
    field = exc.field if isinstance(exc, RequestError) else None
    return {"id": request_id, "error": {**exc.to_dict(), "field": field}}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _quantity(request: dict[str, Any]) -> Any:
    if "quantity" not in request:
        raise RequestError("field 'quantity' is required, e.g. \"420 kcal\"", field="quantity")
    value = request["quantity"]
    if isinstance(value, str):
        return value
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
        magnitude = value[0]
        try:
            if _is_number(magnitude):
                return (float(magnitude), value[1])
            if isinstance(magnitude, list) and all(_is_number(v) for v in magnitude):
                return ([float(v) for v in magnitude], value[1])
        except OverflowError:
            raise RequestError(
                "field 'quantity' holds a number too large for a float", field="quantity"
            ) from None
    raise RequestError(
        'field \'quantity\' must be text such as "420 kcal" or a [magnitude, "unit"] pair '
        f"(the magnitude a number or an array of numbers), not {json_type(value)}",
        field="quantity",
    )


def _option(request: dict[str, Any], option: Option) -> Any:
    """A request's value of a shared option, checked for its JSON type (None when absent)."""
    if option.type == "names":
        return _names(request, option.name)
    if option.type == "whole":
        return _whole(request, option.name)
    value = _text(request, option.name)
    if option.type == "choice" and value is not None:
        return check_policy(value)
    return value


def _text(request: dict[str, Any], name: str) -> str | None:
    value = request.get(name)
    if value is None or isinstance(value, str):
        return value
    raise RequestError(
        f"field {name!r} must be a string or null, not {json_type(value)}", field=name
    )


def _flag(request: dict[str, Any], name: str, default: bool) -> bool:
    value = request.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raise RequestError(
        f"field {name!r} must be true, false or null, not {json_type(value)}", field=name
    )


def _whole(request: dict[str, Any], name: str) -> int | None:
    value = request.get(name)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise RequestError(
        f"field {name!r} must be a whole number or null, not {json_type(value)}", field=name
    )


def _names(request: dict[str, Any], name: str) -> list[str] | None:
    value = request.get(name)
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise RequestError(
        f'field {name!r} must be an array of kind names, e.g. ["walking"], not {json_type(value)}',
        field=name,
    )
