"""The examples the OpenAPI document shows for the free-form admin bodies are bodies the
operations accept: each is read from /openapi.json and sent, as an admin would copy it."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Api


def example(spec: dict[str, Any], path: str, method: str) -> Any:
    body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
    found = body.get("examples") or body["schema"].get("examples")
    if isinstance(found, dict):  # the named-examples form
        return next(iter(found.values()))["value"]
    if found:
        return found[0]
    ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
    return spec["components"]["schemas"][ref]["examples"][0]


def test_every_admin_example_is_accepted(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    admin = api.auth(lang="en")

    def send(method: str, path: str, template: str | None = None, **ids: Any) -> Any:
        body = example(spec, template or path, method)
        r = api.client.request(method.upper(), path.format(**ids), json=body, headers=admin)
        assert r.status_code in (200, 201), (method, path, r.text)
        return r.json()

    send("post", "/api/v1/network/import")  # the example brings the city Kokshetau
    service = send("post", "/api/v1/services")
    send("put", f"/api/v1/services/{service['code']}", "/api/v1/services/{code}")
    assert send("post", "/api/v1/registry/import")["created"] == 0  # known by now
    center = send("post", "/api/v1/centers")
    send("patch", f"/api/v1/centers/{center['id']}", "/api/v1/centers/{center_id}")
    window = send("post", f"/api/v1/centers/{center['id']}/windows",
                  "/api/v1/centers/{center_id}/windows")
    changed = send("patch", f"/api/v1/windows/{window['id']}", "/api/v1/windows/{window_id}")
    assert changed["privilege"] is True and changed["seats"] == 2
    assert send("put", "/api/v1/policy")["release_time"] == "08:00"
    assert send("put", "/api/v1/identity/policy")["mode"] == "otp"
