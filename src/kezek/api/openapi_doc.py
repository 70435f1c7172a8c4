"""The OpenAPI document tells the truth about errors, names and auth.

FastAPI documents a 422 as its own `{"detail": [...]}` while Kezek answers every error
as `{"error": {"code", "message"}}`, documents no other error at all, and names
operations after their Python function and path. Here, once per app:

- one `Error` schema (the envelope) and every 4xx/5xx response pointing at it, with the
  stable codes that status can carry (from `kezek.core.errors`, the single list);
- the answers any operation can give documented on every operation: 400 `invalid_input`
  (a NUL byte, ADR 0017), 413 `body_too_large` where a body is taken, 422 validation,
  429 `rate_limited` with `Retry-After`, 503 `busy`/`unavailable` with `Retry-After`;
  404 `not_found` where the path names something;
- operation ids `<tag>_<function>`, stable across path changes and unique (checked);
- the bearer scheme (`POST /api/v1/auth/token`; a citizen's `kzp.` proof is a bearer
  token too), optional on the whole API: which roles an operation needs is in its text.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from kezek.core import errors

ERROR_REF = {"$ref": "#/components/schemas/Error"}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "description": "stable, for programs",
                     "examples": ["slot_full"]},
            "message": {"type": "string",
                        "description": "for people, in the language of Accept-Language "
                                       "(kk, ru, en)"}}}},
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again",
                               "schema": {"type": "integer"}}}
# Codes the edge and the error handlers answer outside kezek.core.errors.
EDGE_CODES = {400: ["invalid_input"], 404: ["not_found"], 405: ["method_not_allowed"],
              413: ["body_too_large"], 422: ["validation_error"], 429: ["rate_limited"],
              503: ["busy", "unavailable"]}
TITLES = {400: "Bad request", 401: "Not signed in or not proven", 403: "Not allowed",
          404: "Not found", 409: "Conflict with the current state", 413: "Body too large",
          422: "Invalid input", 423: "Locked", 428: "Proof of work required",
          429: "Too many requests", 503: "Not available now"}


def codes_by_status() -> dict[int, list[str]]:
    """Every stable error code by the HTTP status it is answered with."""
    found: dict[int, set[str]] = defaultdict(set)
    for _, cls in inspect.getmembers(errors, inspect.isclass):
        if issubclass(cls, errors.KezekError) and cls is not errors.KezekError:
            found[cls.status].add(cls.code)
    for status, codes in EDGE_CODES.items():
        found[status].update(codes)
    return {s: sorted(c) for s, c in found.items()}


def operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "kezek"
    return f"{tag.replace(' ', '_')}_{route.name}"


def _error_response(status: int, codes: list[str], existing: dict[str, Any] | None
                    ) -> dict[str, Any]:
    listed = ", ".join(f"`{c}`" for c in codes)
    described = (existing or {}).get("description")
    if not described or described == "Validation Error":  # FastAPI's own words
        described = f"{TITLES.get(status, 'Error')}; the API's codes for it: {listed}"
    out: dict[str, Any] = {"description": described,
                           "content": {"application/json": {"schema": ERROR_REF}}}
    if status in (429, 503):
        out["headers"] = RETRY_AFTER
    return out


def _document(operation: dict[str, Any], path: str, codes: dict[int, list[str]]) -> None:
    responses: dict[str, Any] = operation.setdefault("responses", {})
    wanted = {400, 422, 429, 503}
    if "requestBody" in operation:
        wanted.add(413)
    if "{" in path:
        wanted.add(404)
    wanted |= {int(s) for s in responses if s.isdigit() and int(s) >= 400}
    for status in sorted(wanted):
        responses[str(status)] = _error_response(status, codes.get(status, []),
                                                 responses.get(str(status)))
    operation["responses"] = dict(sorted(responses.items()))


def install(app: FastAPI) -> None:
    """Replaces `app.openapi` with the truthful document (built once, then cached). The
    app is made with `generate_unique_id_function=operation_id`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version,
                           description=app.description, routes=app.routes, tags=app.openapi_tags)
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas["Error"] = ERROR_SCHEMA
        components["securitySchemes"] = {"bearer": {
            "type": "http", "scheme": "bearer",
            "description": "a staff token from POST /api/v1/auth/token, or a citizen's "
                           "`kzp.` proof of identity from POST /api/v1/identity/verify"}}
        spec["security"] = [{}, {"bearer": []}]  # optional: public operations need none
        codes = codes_by_status()
        for path, operations in spec.get("paths", {}).items():
            for operation in operations.values():
                _document(operation, path, codes)
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
