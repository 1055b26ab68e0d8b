"""The HTTP service (``equivmetrics serve``): the JSON stream's requests over HTTP, per tenant.

Starlette routes and uvicorn workers, both from the optional ``[server]`` extra, imported only
here and only when the service starts. Each endpoint of :data:`ENDPOINTS` takes the JSON
stream's request fields (docs/cli.md) and answers the library's ``to_dict`` shapes; errors are
``{"error": {"code", "message", "field"}}`` (and a library error's structured fields, as its
``to_dict`` gives them) with the library's stable codes: 400 for a
malformed request, 404 for an unknown tenant, route or icon, 413 for a body over
:data:`MAX_BODY_BYTES`, 422 for a well-formed request the library refuses. The tenant is the
``X-Tenant`` header (the file's ``default`` when absent). See docs/service.md.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from equivmetrics._present.derivation import explain
from equivmetrics._present.html import render_html
from equivmetrics._present.icons import icon_names, icon_svg
from equivmetrics.exceptions import EquivMetricsError, ScorecardError

from .batch_files import UsageError
from .listing import kinds_data, packs_data, parameters_data, regions_data
from .scorecard_advice import reworded
from .server_documents import report_document, scorecard_document
from .server_openapi import ENDPOINTS, openapi
from .server_tenants import Tenant, Tenants
from .stream import RequestError, dumps, json_type, parse_request

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

__all__ = ["MAX_BODY_BYTES", "Service", "create_app", "serve"]

log = logging.getLogger("equivmetrics.server")

#: The largest request body, the longest array and text, and the most values, of one request.
MAX_BODY_BYTES = 1 << 20
MAX_ARRAY = 10_000
MAX_TEXT = 4_096
MAX_VALUES = 20_000

#: The environment variable that hands the tenant file to each worker process.
TENANTS_ENV = "EQUIVMETRICS_TENANTS"

_CARD_FIELDS = frozenset({"role", "title", "heading_level"})


class HttpError(Exception):
    """An error answered with ``status`` and ``{"error": {"code", "message", "field"}}``, and
    any ``details`` (a library error's structured fields: a scorecard's ``problem``,
    ``indicator``, ``team`` and ``period``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.details = details or {}


def respond(status: int, data: Any, headers: dict[str, str] | None = None) -> Response:
    """A JSON response (strict JSON: non-finite numbers become null)."""
    from starlette.responses import Response  # noqa: PLC0415 - starlette is the optional [server] extra

    return Response(dumps(data), status, headers, media_type="application/json")


def error_response(exc: HttpError) -> Response:
    """The JSON error body of ``exc`` with its status."""
    error = {"code": exc.code, "message": exc.message, "field": exc.field}
    error.update((key, value) for key, value in exc.details.items() if key not in error)
    return respond(exc.status, {"error": error})


def _check_bounds(data: Any) -> None:
    """Refuse arrays, texts or value counts over the per-request limits (400)."""
    stack, count = [(data, "")], 0
    while stack:
        value, field = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise RequestError(f"a request may hold at most {MAX_VALUES} values")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise RequestError(f"text longer than {MAX_TEXT} characters", field=field or None)
        if isinstance(value, list):
            if len(value) > MAX_ARRAY:
                raise RequestError(f"array longer than {MAX_ARRAY} items", field=field or None)
            stack.extend((item, field) for item in value)
        elif isinstance(value, dict):
            stack.extend((item, field or str(key)) for key, item in value.items())


class Service:
    """The endpoints' logic over :class:`Tenants`; stateless apart from the shared engines."""

    def __init__(self, tenants: Tenants) -> None:
        self.tenants = tenants

    def tenant(self, request: Request) -> Tenant:
        """The tenant of ``X-Tenant`` (the default tenant without it), or 404."""
        name = request.headers.get("x-tenant")
        tenant = self.tenants.get(name)
        if tenant is None:
            what = f"unknown tenant {name!r}" if name else "no X-Tenant header and no default"
            raise HttpError(404, "unknown_tenant", what, "X-Tenant")
        return tenant

    async def body(self, request: Request) -> dict[str, Any]:
        """The request body as a checked JSON object (400, 413 when over the limit)."""
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            raise HttpError(413, "too_large", f"body over {MAX_BODY_BYTES} bytes")
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise HttpError(413, "too_large", f"body over {MAX_BODY_BYTES} bytes")
            chunks.append(chunk)
        data = parse_request(b"".join(chunks))
        if data is None:
            raise RequestError('the body must be a JSON object, e.g. {"quantity": "420 kcal"}')
        _check_bounds(data)
        return data

    def endpoint(self, path: str) -> Callable[[Request], Awaitable[Response]]:
        """The request handler of the route ``path``."""

        async def answer(request: Request) -> Response:
            return await self.handle(request, path)

        return answer

    async def handle(self, request: Request, path: str) -> Response:
        """Route ``request`` to its endpoint, turning every refusal into a JSON error."""
        endpoint = ENDPOINTS[path]
        try:
            tenant = self.tenant(request) if endpoint.tenant else None
            result = await getattr(self, endpoint.handler)(request, tenant)
        except HttpError as exc:
            return error_response(exc)
        except RequestError as exc:
            return error_response(HttpError(400, exc.code, str(exc), exc.field))
        except EquivMetricsError as exc:  # with its structured fields, as the CLI's --json
            error = exc.to_dict()
            code, message = error.pop("code"), error.pop("message")
            return error_response(HttpError(422, code, message, details=error))
        except Exception:  # a bug: logged, reported without details
            log.exception("internal error on %s", request.url.path)
            bug = HttpError(500, "internal_error", "internal error (please report it)")
            return error_response(bug)
        if not isinstance(result, dict | list):
            return result  # type: ignore[no-any-return]
        return respond(200, result, {"X-Tenant": tenant.id} if tenant is not None else None)

    async def command(self, request: Request, tenant: Tenant) -> dict[str, Any]:
        """``/v1/convert``, ``/v1/feel-good`` and ``/v1/action``: the stream's responses."""
        data = await self.body(request)
        command = request.url.path.rsplit("/", 1)[1]
        if command != "convert" and data.get("locale") is None:
            data["locale"] = tenant.locale
        return {"id": data.get("id"), **tenant.bridges[command].run(data)}

    async def explain(self, request: Request, tenant: Tenant) -> dict[str, Any]:
        """``/v1/explain``: a convert request plus ``locale``; the derivation as text."""
        data = await self.body(request)
        locale = data.pop("locale", None) or tenant.locale
        if not isinstance(locale, str):
            raise RequestError(
                f"field 'locale' must be text, not {json_type(locale)}", field="locale"
            )
        result = tenant.bridges["convert"].call(data)
        return {"id": data.get("id"), "locale": locale, "text": explain(result, locale=locale)}

    async def card(self, request: Request, tenant: Tenant) -> Response:
        """``/v1/card``: a feel-good (or ``"role": "action"``) request's HTML card."""
        from starlette.responses import HTMLResponse  # noqa: PLC0415 - starlette is the optional [server] extra

        data = await self.body(request)
        role = data.pop("role", None) or "feel-good"
        title, level = data.pop("title", None), data.pop("heading_level", None) or 2
        if role not in ("feel-good", "action"):
            raise RequestError('field \'role\' must be "feel-good" or "action"', field="role")
        if title is not None and not isinstance(title, str):
            raise RequestError(f"field 'title' must be text, not {json_type(title)}", field="title")
        if data.get("locale") is None:
            data["locale"] = tenant.locale
        found = tenant.bridges[role].call(data)
        html = render_html(found, title=title, heading_level=level)
        return HTMLResponse(html, headers={"X-Tenant": tenant.id})

    async def report(self, request: Request, tenant: Tenant) -> Any:
        """``/v1/report``: the tenant's value report as JSON, HTML, text or PDF."""
        return await self.document(request, tenant, report_document)

    async def scorecard(self, request: Request, tenant: Tenant) -> Any:
        """``/v1/scorecard``: the tenant's adoption scorecard as JSON, HTML or text."""
        return await self.document(request, tenant, scorecard_document)

    async def document(self, request: Request, tenant: Tenant, build: Any) -> Any:
        """Build a document in a worker thread (charts and PDFs take a while), then answer it."""
        from starlette.concurrency import run_in_threadpool  # noqa: PLC0415 - the optional [server] extra
        from starlette.responses import Response  # noqa: PLC0415 - the optional [server] extra

        data = await self.body(request)
        try:
            document = await run_in_threadpool(build, tenant.engine, data, tenant.locale)
        except ScorecardError as exc:  # the advice in the service's words: fields, packs:
            raise reworded(exc, "service") from None
        if isinstance(document.body, dict):
            return document.body
        return Response(document.body, media_type=document.media, headers={"X-Tenant": tenant.id})

    async def icon(self, request: Request, tenant: None) -> Response:
        """``/v1/icons/{name}.svg``: a shipped icon, or 404."""
        from starlette.responses import Response  # noqa: PLC0415 - starlette is the optional [server] extra

        name = request.path_params["name"]
        if name not in icon_names():
            raise HttpError(404, "unknown_icon", f"no icon {name[:64]!r}", "name")
        headers = {"Cache-Control": "public, max-age=86400"}
        return Response(icon_svg(name), media_type="image/svg+xml", headers=headers)

    async def packs(self, request: Request, tenant: Tenant) -> list[dict[str, Any]]:
        """``/v1/packs``: as ``equivmetrics packs --json`` for the tenant."""
        return packs_data(tenant.engine, tenant.overrides)

    async def kinds(self, request: Request, tenant: Tenant) -> list[dict[str, Any]]:
        """``/v1/kinds``: the tenant's kinds."""
        return kinds_data(tenant.engine)

    async def parameters(self, request: Request, tenant: Tenant) -> dict[str, Any]:
        """``/v1/parameters``: the tenant's parameter values, overrides applied."""
        return parameters_data(tenant.engine)

    async def regions(self, request: Request, tenant: Tenant) -> dict[str, Any]:
        """``/v1/regions``: as ``equivmetrics regions --json``, with the tenant's region."""
        return {**regions_data(tenant.engine), "tenant_region": tenant.region}

    async def healthz(self, request: Request, tenant: None) -> dict[str, Any]:
        """``/healthz``: the process answers."""
        return {"status": "ok"}

    async def readyz(self, request: Request, tenant: None) -> dict[str, Any]:
        """``/readyz``: every tenant's engine is built."""
        return {"status": "ready", "tenants": self.tenants.ids()}

    async def openapi(self, request: Request, tenant: None) -> dict[str, Any]:
        """``/openapi.json``: the OpenAPI 3.1 document of :data:`ENDPOINTS`."""
        return openapi()


def create_app(tenant_file: str | os.PathLike[str] | None = None) -> Starlette:
    """The ASGI application over the tenants of ``tenant_file`` (one default tenant if None)."""
    from starlette.applications import Starlette  # noqa: PLC0415 - starlette is the optional [server] extra
    from starlette.exceptions import HTTPException  # noqa: PLC0415 - starlette is the optional [server] extra
    from starlette.routing import Route  # noqa: PLC0415 - starlette is the optional [server] extra

    service = Service(Tenants(tenant_file))
    routes = [
        Route(path, service.endpoint(path), methods=[e.method]) for path, e in ENDPOINTS.items()
    ]

    async def refused(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        code = {404: "not_found", 405: "method_not_allowed"}.get(status, "http_error")
        message = f"{request.method} {request.url.path[:200]}: {code.replace('_', ' ')}"
        return error_response(HttpError(status, code, message))

    return Starlette(routes=routes, exception_handlers={HTTPException: refused})


def app_from_env() -> Starlette:
    """The application of each uvicorn worker: the tenant file named by ``EQUIVMETRICS_TENANTS``."""
    if not log.handlers:  # reloads and bugs are logged on standard error, as uvicorn's own
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return create_app(os.environ.get(TENANTS_ENV) or None)


def serve(args: argparse.Namespace) -> int:
    """``equivmetrics serve``: run the service with uvicorn until interrupted."""
    try:
        import uvicorn  # noqa: PLC0415 - uvicorn is the optional [server] extra
    except ImportError:
        raise UsageError(
            "the HTTP service needs the [server] extra: pip install 'equivmetrics[server]'"
        ) from None
    if args.workers < 1 or not 0 <= args.port <= 65535:
        raise UsageError("--workers must be at least 1 and --port from 0 to 65535")
    if args.tenants is not None:
        Tenants(args.tenants)  # a bad file fails here, once, before any worker starts
        os.environ[TENANTS_ENV] = os.path.abspath(args.tenants)
    uvicorn.run(
        "equivmetrics._integrations.server:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
    )
    return 0
