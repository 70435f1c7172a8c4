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
- the bearer scheme (`POST /api/v1/auth/token`), required on exactly the operations
  that need staff, with their 401 `unauthorized` and 403 `forbidden` /
  `password_change_required` and the roles they take: all read from the route's
  dependencies (an `auth.StaffRule`, ADR 0022), never from a second list. Public
  operations carry no requirement (a citizen's `kzp.` proof, where one is read, is
  described with the bearer scheme and the operation).
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from kezek.api.auth import CentreStaff, StaffRule
from kezek.app.actor import Role
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


def staff_rule(dependant: Dependant) -> StaffRule | None:
    """The staff rule among a route's dependencies (at any depth), if it has one."""
    if isinstance(dependant.call, StaffRule):
        return dependant.call
    for sub in dependant.dependencies:
        found = staff_rule(sub)
        if found is not None:
            return found
    return None


def staff_rules(app: FastAPI) -> dict[tuple[str, str], StaffRule]:
    """(path, method) -> the staff rule, for every documented operation that needs staff."""
    found: dict[tuple[str, str], StaffRule] = {}
    # Included routers are resolved lazily (FastAPI >= 0.16x): walk them as get_openapi
    # does, the path as the spec prints it, the dependencies from the route declared.
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema and context.path_format:
            rule = staff_rule(route.dependant)
            if rule is not None:
                for method in route.methods or ():
                    found[(context.path_format, method.lower())] = rule
    return found


def _who(rule: StaffRule) -> str:
    """The rule in words: `door`, `manager` or `operator` staff (or an admin)..."""
    others = sorted(r.value for r in rule.roles if r is not Role.ADMIN)
    if not rule.roles:
        who = "staff of any role"
    elif not others:
        who = "an `admin`"
    else:
        who = "`" + "`, `".join(others) + "` staff or an `admin`"
    if isinstance(rule, CentreStaff):
        who += " (staff at the centre in the path only)"
    return who


AUTH_403 = ("forbidden", "password_change_required")


def _document_staff(operation: dict[str, Any], rule: StaffRule, codes: list[str]) -> None:
    """401/403 with the codes the staff dependency answers, and the bearer requirement.
    The operation's own work may refuse with another 403 code: those are listed after."""
    who = _who(rule)
    others = ", ".join(f"`{c}`" for c in codes if c not in AUTH_403)
    operation["security"] = [{"bearer": []}]
    responses: dict[str, Any] = operation.setdefault("responses", {})
    content = {"application/json": {"schema": ERROR_REF}}
    responses["401"] = {"description": f"`unauthorized`: not signed in as staff (a bearer "
                                       f"token or a page session); needs {who}",
                        "content": content}
    responses["403"] = {"description": f"`forbidden`: signed in, but not as {who}, or a "
                                       "session-cookie call without `X-Requested-With: "
                                       "kezek`; `password_change_required`: the password "
                                       "an admin set must be changed first; the API's "
                                       f"other codes for 403: {others}",
                        "content": content}


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


def _document(operation: dict[str, Any], path: str, codes: dict[int, list[str]],
              rule: StaffRule | None) -> None:
    if rule is not None:
        _document_staff(operation, rule, codes.get(403, []))
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
            "description": "a staff token from POST /api/v1/auth/token (required where an "
                           "operation says so; staff pages' session cookie works too). "
                           "A citizen's `kzp.` proof of identity from POST "
                           "/api/v1/identity/verify is sent the same way to the booking "
                           "operations, which need no staff"}}
        codes = codes_by_status()
        rules = staff_rules(app)
        for path, operations in spec.get("paths", {}).items():
            for method, operation in operations.items():
                _document(operation, path, codes, rules.get((path, method)))
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
