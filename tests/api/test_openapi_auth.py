"""The spec's auth is the API's auth: staff operations, their roles, 401/403, examples.

`STAFF` below is the security review's list, written here by hand on purpose: which
operations need staff, and which roles they take (an admin always may). The spec is
built from the routes' dependencies (api/auth.py); these tests hold it to the list and
to what the API really answers, so a dependency removed from a handler (or a role set
widened) fails here twice: in the document and in the answers.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from kezek.api import (
    routes_abuse,
    routes_admin,
    routes_ballot,
    routes_callcentre,
    routes_callcentre_waitlist,
    routes_floor,
    routes_identity,
    routes_privilege,
    routes_users,
    routes_waitlist,
    schemas,
)
from kezek.api.app import create_app
from kezek.core import iin as iin_rules
from tests.api.conftest import Api, assert_error, settings_for

ANY, CENTRE = "any centre", "own centre"
ADMIN_ONLY = frozenset({"admin"})
NETWORK_READ = frozenset({"admin", "analyst", "manager"})
ADMIN_MANAGER = frozenset({"admin", "manager"})
DOOR = frozenset({"door", "manager", "operator"})
WINDOW = frozenset({"manager", "operator"})
CALLS = frozenset({"call_centre"})
ANY_ROLE: frozenset[str] = frozenset()
STAFF: dict[str, tuple[str, frozenset[str]]] = {
    "identity_register_phone": (ANY, frozenset({"call_centre", "door", "manager",
                                                "operator"})),
    "identity_get_policy": (ANY, ANY_ROLE),
    "identity_put_policy": (ANY, ADMIN_ONLY),
    "auth_change_own_password": (ANY, ANY_ROLE),
    "auth_users": (ANY, ADMIN_ONLY),
    "auth_create_user": (ANY, ADMIN_ONLY),
    "auth_disable": (ANY, ADMIN_ONLY),
    "auth_enable": (ANY, ADMIN_ONLY),
    "auth_reset_password": (ANY, ADMIN_ONLY),
    "auth_revoke": (ANY, ADMIN_ONLY),
    "auth_unlock": (ANY, ADMIN_ONLY),
    "auth_audit_log": (ANY, ADMIN_ONLY),
    "registry_create_service": (ANY, ADMIN_ONLY),
    "registry_replace_service": (ANY, ADMIN_ONLY),
    "registry_import_registry": (ANY, ADMIN_ONLY),
    "registry_export_registry": (ANY, NETWORK_READ),
    "network_create_center": (ANY, ADMIN_ONLY),
    "network_update_center": (ANY, ADMIN_MANAGER),
    "network_add_window": (ANY, ADMIN_MANAGER),
    "network_update_window": (ANY, ADMIN_MANAGER),
    "network_set_exception": (ANY, ADMIN_MANAGER),
    "network_add_holiday": (ANY, ADMIN_ONLY),
    "network_put_policy": (ANY, ADMIN_ONLY),
    "network_network_import": (ANY, ADMIN_ONLY),
    "network_network_export": (ANY, NETWORK_READ),
    "floor_arrive": (CENTRE, DOOR),
    "floor_admit": (CENTRE, DOOR),
    "floor_call_next": (ANY, WINDOW),
    "floor_window_state": (ANY, WINDOW),
    "floor_start": (ANY, WINDOW),
    "floor_finish": (ANY, WINDOW),
    "floor_no_show": (ANY, WINDOW),
    "floor_recall": (ANY, WINDOW),
    "floor_left": (ANY, DOOR),
    "floor_transfer": (ANY, WINDOW),
    "floor_undo_no_show": (ANY, WINDOW),
    "floor_end_shift": (ANY, WINDOW),
    "floor_queue": (ANY, frozenset({"analyst", "door", "manager", "operator"})),
    "privilege_decide": (CENTRE, DOOR),
    "privilege_claims": (CENTRE, DOOR),
    "privilege_get_policy": (ANY, ADMIN_ONLY),
    "privilege_put_policy": (ANY, ADMIN_ONLY),
    "privilege_stats": (ANY, frozenset({"analyst", "manager"})),
    "feedback_stats": (ANY, frozenset({"analyst", "manager"})),
    **{f"call_centre_{name}": (ANY, CALLS) for name in (
        "lookup", "advice", "book", "cancel", "reschedule", "publish_hours", "my_hours",
        "slots", "schedule", "cancel_consultation", "consultations", "full_days", "join",
        "leave")},
    **{f"abuse_{name}": (ANY, ADMIN_MANAGER) for name in (
        "get_summary", "cancel", "export", "get_rule", "suspensions", "lookup", "lift")},
    "abuse_put_rule": (ANY, ADMIN_ONLY),
}
# Roles to try where a role is refused, first that fits; admins pass everywhere.
ROLES = ("analyst", "call_centre", "door", "operator", "manager")
NEVER_ENDS = re.compile(r"/events$")  # the board's event stream
MAX_ID = str(schemas.MAX_ID)  # no such row: a staff member passing auth gets a 404/422


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in spec["paths"].items()
            for method, op in ops.items() if not NEVER_ENDS.search(path)]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    app = create_app(settings_for("sqlite:///:memory:", throttle=False))
    got: dict[str, Any] = app.openapi()
    return got


def test_the_spec_marks_exactly_the_staff_operations(spec: dict[str, Any]) -> None:
    """401 + 403 (the envelope, the auth codes) and the bearer requirement on exactly
    the staff operations of the list; public ones carry neither, and nothing is global."""
    assert "security" not in spec  # else every public operation would inherit it
    marked = set()
    for path, method, op in _operations(spec):
        responses = op["responses"]
        if op["operationId"] not in STAFF:
            assert "security" not in op, (path, method)
            assert "401" not in responses, (path, method)
            assert "`forbidden`" not in responses.get("403", {}).get("description", "")
            continue
        marked.add(op["operationId"])
        assert op["security"] == [{"bearer": []}], (path, method)
        for status, code in (("401", "`unauthorized`"), ("403", "`forbidden`"),
                             ("403", "`password_change_required`")):
            assert code in responses[status]["description"], (path, status)
            assert responses[status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}
        where, roles = STAFF[op["operationId"]]
        words = responses["403"]["description"]
        named = set(re.findall(r"`(\w+)`", words)) & {*ROLES, "admin"}
        assert named == (roles | ADMIN_ONLY if roles else set()), (path, named)
        assert ("centre in the path" in words) == (where is CENTRE), path
    assert marked == set(STAFF)


def _call(client: TestClient, path: str, method: str, op: dict[str, Any],
          headers: dict[str, str], centre: int | None = None) -> Any:
    url = re.sub(r"\{center_id\}", str(centre) if centre else MAX_ID, path)
    url = re.sub(r"\{[a-z_]+\}", MAX_ID, url)
    body: dict[str, Any] | None = {} if "requestBody" in op else None
    return client.request(method.upper(), url, json=body, headers=headers)


def test_anonymous_and_citizens_get_401_exactly_on_staff_operations(api: Api) -> None:
    """Every operation, called with no credentials and then with a citizen's `kzp.`
    proof: the staff ones answer 401 `unauthorized` (before the body is even read: an
    empty one), no public one does."""
    spec = api.client.get("/openapi.json").json()
    citizen = api.person("900101300017")
    assert citizen["Authorization"].startswith("Bearer kzp.")
    for path, method, op in _operations(spec):
        for headers in ({}, citizen):
            r = _call(api.client, path, method, op, headers)
            assert r.status_code < 500, (path, method, r.text)
            staff = op["operationId"] in STAFF
            got = r.json().get("error", {}).get("code") if r.status_code >= 400 else None
            assert (got == "unauthorized") == staff, (path, method, r.status_code, r.text)
            if staff:
                assert_error(r, 401, "unauthorized")


def test_each_staff_operation_refuses_the_other_roles_and_lets_its_own_in(api: Api) -> None:
    """For every staff operation: a role it does not take is 403 `forbidden`; a role it
    takes gets past auth (whatever the empty body or the missing row then answers);
    an operation bound to the centre in the path refuses that role at another centre."""
    centre, other = api.centers["mixed"], api.centers["vehicle"]
    tokens = {role: api.add_user(f"probe-{role.replace('_', '-')}", role, [centre])
              for role in ROLES}
    spec = api.client.get("/openapi.json").json()
    staff_ops = [(p, m, op) for p, m, op in _operations(spec) if op["operationId"] in STAFF]
    # Admin-only operations last: the others must not disable a probe's account first.
    for path, method, op in sorted(staff_ops, key=lambda x: STAFF[x[2]["operationId"]][1]
                                   == ADMIN_ONLY):
        where, roles = STAFF[op["operationId"]]
        refused = [r for r in ROLES if roles and r not in roles]
        for role in refused:
            r = _call(api.client, path, method, op, api.auth(tokens[role]), centre)
            assert_error(r, 403, "forbidden")
        allowed = [r for r in ROLES if not roles or r in roles] or ["admin"]
        token = api.token() if allowed == ["admin"] else tokens[allowed[0]]
        r = _call(api.client, path, method, op, api.auth(token), centre)
        assert r.status_code not in (401, 403) or r.json()["error"]["code"] not in (
            "unauthorized", "forbidden", "password_change_required"), (path, r.text)
        if where is CENTRE:
            r = _call(api.client, path, method, op, api.auth(tokens[allowed[0]]), other)
            assert_error(r, 403, "forbidden")


REQUEST_MODELS: list[type[BaseModel]] = [
    m for module in (schemas, routes_identity, routes_admin, routes_users, routes_floor,
                     routes_privilege, routes_callcentre, routes_callcentre_waitlist,
                     routes_waitlist, routes_ballot, routes_abuse)
    for m in vars(module).values()
    if isinstance(m, type) and issubclass(m, schemas.Strict) and m is not schemas.Strict]


def test_every_request_body_model_has_an_example(spec: dict[str, Any]) -> None:
    schemas_ = spec["components"]["schemas"]
    refs = set()
    for _path, _method, op in _operations(spec):
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body is None:
            continue
        text = repr(body["schema"])
        refs.update(re.findall(r"#/components/schemas/(\w+)", text))
    assert len(refs) > 20
    for name in refs:
        assert schemas_[name].get("examples"), name


@pytest.mark.parametrize("model", REQUEST_MODELS, ids=lambda m: m.__name__)
def test_examples_validate_against_their_schema_and_model(model: type[BaseModel],
                                                          spec: dict[str, Any]) -> None:
    """Each example is valid by the document (what schemathesis and clients read) and
    by the model (what the API then accepts); an IIN in one passes the check digit."""
    schema = spec["components"]["schemas"].get(model.__name__)
    if schema is None:
        pytest.skip(f"{model.__name__} is not a request body of the API")
    examples = schema.get("examples")
    assert examples, model.__name__
    validator = jsonschema_rs.validator_for(
        {**schema, "components": spec["components"]})
    for example in examples:
        validator.validate(example)
        model.model_validate(example)
        for name, value in example.items():
            if name == "iin":
                assert iin_rules.is_valid(value), (model.__name__, value)


def test_a_schema_that_breaks_its_example_is_caught(spec: dict[str, Any]) -> None:
    """The validator above can fail: the booking example with a too long IIN does."""
    schema = spec["components"]["schemas"]["BookingIn"]
    bad = {**schema["examples"][0], "iin": "9" * 40}
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.validator_for({**schema, "components": spec["components"]}).validate(bad)
