"""What schemathesis found past the first edge checks (ADR 0017): NUL bytes inside JSON and
form bodies, and ids past the 32-bit columns on the staff routes and in bodies.

Before the fixes each of these was a 500 on PostgreSQL (NUL in text, an integer past the
column) or on SQLite too (an integer past 2**63 cannot even be bound).
"""

from __future__ import annotations

import pytest

from tests.api.conftest import Api, assert_error

BIG = ["0", "2147483648", str(2**63), str(2**64 + 1)]
# Staff routes with an id in the path: (method, path with {id}, JSON body or None).
ID_ROUTES = [
    ("PATCH", "/api/v1/centers/{id}", {}),
    ("GET", "/api/v1/centers/{id}/windows", None),
    ("POST", "/api/v1/centers/{id}/windows", {"number": 5}),
    ("PATCH", "/api/v1/windows/{id}", {}),
    ("POST", "/api/v1/centers/{id}/arrivals", {"code": "X"}),
    ("POST", "/api/v1/windows/{id}/call-next", None),
    ("POST", "/api/v1/tickets/{id}/finish", None),
    ("GET", "/api/v1/centers/{id}/queue", None),
    ("GET", "/api/v1/centers/{id}/board", None),
    ("GET", "/api/v1/centers/{id}/board/events", None),
    ("GET", "/api/v1/centers/{id}/privilege/claims", None),
    ("POST", "/api/v1/centers/1/tickets/{id}/privilege", {"decision": "confirmed"}),
    ("POST", "/api/v1/users/{id}/disable", None),
    ("POST", "/api/v1/users/{id}/unlock", None),
    ("POST", "/api/v1/abuse/suspensions/{id}/lift", None),
]


@pytest.mark.parametrize("method,path,body", ID_ROUTES)
def test_a_path_id_past_the_column_is_422(api: Api, method: str, path: str,
                                          body: dict[str, object] | None) -> None:
    for raw in BIG:
        r = api.client.request(method, path.format(id=raw), json=body,
                               headers=api.auth(lang="en"))
        text = assert_error(r, 422, "validation_error")
        assert text.startswith("Invalid data"), text


@pytest.mark.parametrize("raw", [2**31, 2**63, -1])
def test_an_id_past_the_column_in_a_query_or_body_is_422(api: Api, raw: int) -> None:
    for url in (f"/api/v1/abuse/summary?center={raw}", f"/api/v1/privilege/stats?center={raw}"):
        assert_error(api.client.get(url, headers=api.auth()), 422, "validation_error")
    r = api.client.post("/api/v1/bookings", json={
        "iin": "900101300001", "service": "01010001", "center": raw,
        "start": "2030-01-02T10:00:00+05:00"}, headers=api.auth())
    assert_error(r, 422, "validation_error")


@pytest.mark.parametrize("lang,start", [("kk", "Деректер қате"), ("ru", "Неверные данные"),
                                        ("en", "Invalid data")])
def test_nul_in_a_json_string_is_400(api: Api, lang: str, start: str) -> None:
    r = api.client.post("/api/v1/auth/token", content=b'{"username": "a\\u0000b", '
                        b'"password": "x"}', headers={"Content-Type": "application/json",
                                                      "Accept-Language": lang})
    assert assert_error(r, 400, "invalid_input").startswith(start)


def test_nul_in_a_free_json_body_and_in_a_form_is_400(api: Api) -> None:
    r = api.client.patch(f"/api/v1/centers/{api.centers['mixed']}",
                         json={"address_ru": "ул.\x00"}, headers=api.auth())
    assert_error(r, 400, "invalid_input")
    r = api.client.post("/api/v1/auth/token", content=b"username=a%00&password=x",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_error(r, 400, "invalid_input")


def test_an_escaped_backslash_before_u0000_is_text_not_nul(api: Api) -> None:
    # `\\u0000` in JSON is a backslash and the letters u0000: a wrong password, not 400.
    r = api.client.post("/api/v1/auth/token", content=b'{"username": "a\\\\u0000", '
                        b'"password": "x"}', headers={"Content-Type": "application/json"})
    assert r.status_code == 401, r.text
    r = api.client.post("/api/v1/auth/token", content=b'{"username": "a\\\\\\u0000", '
                        b'"password": "x"}', headers={"Content-Type": "application/json"})
    assert_error(r, 400, "invalid_input")


@pytest.mark.parametrize("path", ["/staff/window/{id}", "/staff/door/{id}", "/staff/center/{id}",
                                  "/board/{id}", "/staff/kiosk/{id}"])
def test_a_page_id_past_the_column_is_422(api: Api, path: str) -> None:
    # The staff and lobby pages are outside the OpenAPI document, so the fuzzer never
    # sends them anything: their ids are bounded the same way and checked here.
    for raw in BIG:
        r = api.client.get(path.format(id=raw), headers={"Accept-Language": "ru"})
        assert assert_error(r, 422, "validation_error").startswith("Неверные данные")


def test_nul_in_a_json_body_sent_without_a_content_type_is_400(api: Api) -> None:
    # FastAPI parses a body with no content type as JSON: the fuzzer's username
    # "0.1.0\u0000" reached PostgreSQL that way (a 500) past the content-type check.
    body = b'{"username": "0.1.0\\u0000", "password": "x"}'
    for headers in ({"Accept-Language": "kk"}, {"Accept-Language": "kk", "Content-Type": ""}):
        r = api.client.post("/api/v1/auth/token", content=body, headers=headers)
        assert assert_error(r, 400, "invalid_input").startswith("Деректер қате")


def test_call_centre_and_ballot_ids_are_bounded(api: Api) -> None:
    """Ids past the column in the call-centre and ballot routes: 422, never a 500."""
    big = 2**63
    staff = api.auth()
    for r in (api.client.post(f"/api/v1/video/consultations/{big}/cancel", headers=staff),
              api.client.get("/api/v1/ballot/open", params={"center": big, "service": "x"}),
              api.client.get("/api/v1/ballot", params={"center": big, "day": "2026-12-03"}),
              api.client.post("/api/v1/ballot", json={
                  "iin": "900101300017", "center": big, "day": "2026-12-03",
                  "service": "01010001", "choices": ["2026-12-03T10:00:00+05:00"]})):
        assert_error(r, 422, "validation_error")
