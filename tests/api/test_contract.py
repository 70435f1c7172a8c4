"""The public API contract: shapes, the error envelope in three languages, booking by IIN.

Every test runs on SQLite and on PostgreSQL (the `db_url` fixture is parametrised).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from tests.api.conftest import Api, assert_error, at
from tests.conftest import next_weekday, random_iin

IIN = "900101300017"
OTHER_IIN = "850715400129"
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?([+-]\d\d:\d\d)$")
CYRILLIC = re.compile("[А-Яа-яЁё]")
KAZAKH_ONLY = re.compile("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def test_healthz(api: Api) -> None:
    r = api.client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_openapi_lists_the_contract_paths(api: Api) -> None:
    r = api.client.get("/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    expected = {
        "/api/v1/services": {"get", "post"},
        "/api/v1/services/{code}": {"put"},
        "/api/v1/centers": {"get", "post"},
        "/api/v1/centers/{center_id}": {"patch"},
        "/api/v1/centers/{center_id}/slots": {"get"},
        "/api/v1/centers/{center_id}/windows": {"post"},
        "/api/v1/centers/{center_id}/exceptions": {"put"},
        "/api/v1/bookings": {"post"},
        "/api/v1/bookings/search": {"post"},
        "/api/v1/bookings/{code}/cancel": {"post"},
        "/api/v1/auth/token": {"post"},
        "/api/v1/users": {"post"},
        "/api/v1/policy": {"put"},
        "/api/v1/audit": {"get"},
        "/healthz": {"get"},
    }
    for path, methods in expected.items():
        assert path in paths, path
        assert methods <= set(paths[path]), (path, set(paths[path]))
    # An IIN never travels in a path or a query string.
    for path, ops in paths.items():
        assert "iin" not in path.lower()
        for op in ops.values():
            for param in op.get("parameters", []):
                assert "iin" not in param["name"].lower(), (path, param["name"])
    docs = api.client.get("/docs")
    assert docs.status_code == 200 and "openapi.json" in docs.text


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_unknown_route_is_a_404_envelope(api: Api, lang: str) -> None:
    assert_error(api.client.get("/api/v1/no-such-thing", headers={"Accept-Language": lang}),
                 404, "not_found")
    assert_error(api.client.get("/no/such/page"), 404, "not_found")


def test_services_search_in_three_languages(api: Api) -> None:
    for q in ("куәлік", "удостоверения", "identity card", "IDENTITY", "01010001"):
        r = api.client.get("/api/v1/services", params={"q": q})
        assert r.status_code == 200, r.text
        assert [s["code"] for s in r.json()] == ["01010001"], q
    names = {}
    for lang in ("kk", "ru", "en"):
        r = api.client.get("/api/v1/services", params={"q": "01010001"},
                           headers={"Accept-Language": lang})
        (svc,) = r.json()
        assert {"code", "name", "sector", "online", "specialised_only"} <= set(svc)
        names[lang] = svc["name"]
    assert names == {"kk": "Жеке куәлік беру", "ru": "Выдача удостоверения личности",
                     "en": "Issue of an identity card"}
    every = api.client.get("/api/v1/services").json()
    assert len(every) == 5
    assert api.client.get("/api/v1/services", params={"q": "", "sector": ""}).json() == every
    vehicle = api.client.get("/api/v1/services", params={"sector": "vehicle"}).json()
    assert [(s["code"], s["specialised_only"]) for s in vehicle] == [("04010001", True)]
    online = {s["code"]: s["online"] for s in every}
    assert online["02010001"] is True and online["01010001"] is False
    assert api.client.get("/api/v1/services", params={"q": "zzzz"}).json() == []
    assert_error(api.client.get("/api/v1/services", params={"sector": "astrology"}),
                 422, "validation_error")


def test_centers_filters(api: Api) -> None:
    r = api.client.get("/api/v1/centers")
    assert r.status_code == 200
    every = r.json()
    assert {c["id"] for c in every} == set(api.centers.values())
    for c in every:
        assert {"id", "name", "city", "region", "kind", "format"} <= set(c)
    by_region = api.client.get("/api/v1/centers", params={"region": "KZ-11"}).json()
    assert len(by_region) == 3
    assert api.client.get("/api/v1/centers", params={"region": "KZ-75"}).json() == []
    assert len(api.client.get("/api/v1/centers", params={"city": "testcity"}).json()) == 3
    assert api.client.get("/api/v1/centers", params={"city": "nowhere"}).json() == []
    special = api.client.get("/api/v1/centers", params={"kind": "specialised"}).json()
    assert [(c["id"], c["kind"], c["format"]) for c in special] == [
        (api.centers["vehicle"], "specialised", "mixed")]
    general = api.client.get("/api/v1/centers", params={"kind": "general"}).json()
    assert {c["id"] for c in general} == {api.centers["mixed"], api.centers["booking-only"]}
    names = {lang: api.client.get("/api/v1/centers", params={"kind": "specialised"},
                                  headers={"Accept-Language": lang}).json()[0]["name"]
             for lang in ("kk", "ru", "en")}
    assert names == {"kk": "Авто ХҚО", "ru": "Спец ЦОН", "en": "Vehicle PSC"}
    assert_error(api.client.get("/api/v1/centers", params={"kind": "circus"}),
                 422, "validation_error")


def test_slots_shape_and_a_booking_takes_a_seat(api: Api) -> None:
    day = next_weekday()
    url = f"/api/v1/centers/{api.centers['mixed']}/slots"
    params = {"service": "01010001", "from": day.isoformat(), "days": 1}
    r = api.client.get(url, params=params)
    assert r.status_code == 200, r.text
    slots = r.json()
    assert len(slots) == 34  # 09:00 .. 17:15 every 15 minutes: latest booking 17:30
    for s in slots:
        assert set(s) == {"start", "free"}
        assert OFFSET.match(s["start"]), s["start"]
        start = dt.datetime.fromisoformat(s["start"])
        assert start.utcoffset() == dt.timedelta(hours=5)  # Kazakhstan: UTC+5 nationwide
        assert start.date() == day and s["free"] == 3  # windows 1, 2, 3 serve identity
    assert (slots[0]["start"], slots[-1]["start"]) == (at(day, 9), at(day, 17, 15))
    assert api.book(IIN, at(day, 9)).status_code == 201
    after = {s["start"]: s["free"] for s in api.client.get(url, params=params).json()}
    assert after[at(day, 9)] == 2
    three = api.client.get(url, params={**params, "days": 3}).json()
    assert len({dt.datetime.fromisoformat(s["start"]).date() for s in three}) >= 2
    assert_error(api.client.get(url, params={**params, "service": "99999999"}), 404,
                 "not_found")
    assert_error(api.client.get("/api/v1/centers/99999/slots", params=params), 404,
                 "not_found")
    assert_error(api.client.get(url, params={**params, "days": 0}), 422, "validation_error")
    assert_error(api.client.get(url, params={**params, "from": "tomorrow"}), 422,
                 "validation_error")


def test_book_search_cancel_cycle(api: Api) -> None:
    start = at(next_weekday(), 10)
    r = api.book(IIN, start)
    assert r.status_code == 201, r.text
    b = r.json()
    assert {"code", "iin_masked", "service", "center", "start", "status"} <= set(b)
    assert b["iin_masked"] == "90********17" and IIN not in r.text
    assert (b["service"], b["center"], b["start"], b["status"], b["channel"]) == (
        "01010001", api.centers["mixed"], start, "active", "web")
    assert (dt.datetime.fromisoformat(b["end"]) - dt.datetime.fromisoformat(b["start"])
            == dt.timedelta(minutes=15))  # the identity card's standard: one 15-minute slot
    code = b["code"]

    found = api.client.post("/api/v1/bookings/search", json={"iin": IIN},
                          headers=api.person(IIN))
    assert found.status_code == 200
    assert [x["code"] for x in found.json()] == [code]
    assert api.client.post("/api/v1/bookings/search", json={"iin": OTHER_IIN},
                          headers=api.person(OTHER_IIN)).json() == []

    wrong = api.client.post(f"/api/v1/bookings/{code}/cancel", json={"iin": OTHER_IIN},
                          headers=api.person(OTHER_IIN))
    assert_error(wrong, 404, "not_found")
    unknown = api.client.post("/api/v1/bookings/AAAA2222/cancel", json={"iin": IIN},
                          headers=api.person(IIN))
    assert_error(unknown, 404, "not_found")
    assert wrong.json() == unknown.json()  # a wrong IIN tells nothing about the code

    # The code is accepted as people type it: lower case, with its dash.
    display = f"{code[:4]}-{code[4:]}".lower()
    ok = api.client.post(f"/api/v1/bookings/{display}/cancel", json={"iin": IIN},
                          headers=api.person(IIN))
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "cancelled"
    assert api.client.post("/api/v1/bookings/search", json={"iin": IIN},
                          headers=api.person(IIN)).json() == []
    again = api.client.post(f"/api/v1/bookings/{code}/cancel", json={"iin": IIN},
                          headers=api.person(IIN))
    assert_error(again, 409, "invalid_state")
    # The freed seat can be booked again, by the same person.
    assert api.book(IIN, start).status_code == 201


# One test per error code of POST /api/v1/bookings.

def test_invalid_iin(api: Api) -> None:
    start = at(next_weekday(), 10)
    for bad in ("123", "90010130001X", "900101300019", "  "):
        assert_error(api.book(bad, start), 422, "invalid_iin")
    assert_error(api.client.post("/api/v1/bookings/search", json={"iin": "900101300019"}),
                 422, "invalid_iin")


def test_slot_full(api: Api) -> None:
    start = at(next_weekday(), 11)
    for _ in range(3):  # mixed: windows 1, 2 and 3 serve identity cards
        assert api.book(random_iin(), start).status_code == 201
    message = assert_error(api.book(random_iin(), start), 409, "slot_full")
    assert CYRILLIC.search(message)  # Russian is the default language


def test_already_booked(api: Api) -> None:
    day = next_weekday()
    assert api.book(IIN, at(day, 10)).status_code == 201
    assert_error(api.book(IIN, at(day, 12)), 409, "already_booked")
    assert_error(api.book(IIN, at(day, 12), center="booking-only"), 409, "already_booked")


def test_quota_exceeded(api: Api) -> None:
    day = next_weekday()
    assert api.book(IIN, at(day, 10)).status_code == 201
    message = assert_error(api.book(IIN, at(day, 12), service="03010001",
                                    headers={"Accept-Language": "en"}), 409, "quota_exceeded")
    assert "10 days" in message
    # The specialised (vehicle) quota is counted apart from the general one.
    assert api.book(IIN, at(day, 10), center="vehicle", service="04010001").status_code == 201


def test_service_not_offered(api: Api) -> None:
    start = at(next_weekday(), 10)
    assert_error(api.book(IIN, start, service="04010001"), 422, "service_not_offered")
    online = api.book(IIN, start, center="booking-only", service="03010001",
                      headers={"Accept-Language": "en"})
    assert "egov.kz" in assert_error(online, 422, "service_not_offered")


def test_outside_schedule(api: Api) -> None:
    day = next_weekday()
    for start in (at(day, 10, 5), at(day, 3), at(day, 17, 45),
                  at(day - dt.timedelta(days=7), 10), at(day + dt.timedelta(days=60), 10),
                  dt.datetime.combine(day, dt.time(10)).isoformat()):  # no offset
        assert_error(api.book(IIN, start), 422, "outside_schedule")


def test_not_found(api: Api) -> None:
    start = at(next_weekday(), 10)
    body = {"iin": IIN, "service": "01010001", "center": 99999, "start": start}
    assert_error(api.client.post("/api/v1/bookings", json=body, headers=api.person(IIN)),
                 404, "not_found")
    assert_error(api.book(IIN, start, service="99999999"), 404, "not_found")
    assert_error(api.client.get("/api/v1/services/99999999"), 404, "not_found")
    assert_error(api.client.get("/api/v1/centers/99999"), 404, "not_found")


MALFORMED = {
    "missing field": {"iin": IIN, "service": "01010001", "start": "2030-01-02T10:00:00+05:00"},
    "extra field": {"iin": IIN, "service": "01010001", "center": 1,
                    "start": "2030-01-02T10:00:00+05:00", "note": "please"},
    "wrong type": {"iin": IIN, "service": "01010001", "center": "the big one",
                   "start": "2030-01-02T10:00:00+05:00"},
    "iin as a number": {"iin": int(IIN), "service": "01010001", "center": 1,
                        "start": "2030-01-02T10:00:00+05:00"},
    "bad start": {"iin": IIN, "service": "01010001", "center": 1, "start": "next tuesday"},
    "bad channel": {"iin": IIN, "service": "01010001", "center": 1,
                    "start": "2030-01-02T10:00:00+05:00", "channel": "pigeon"},
    "not an object": [IIN],
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_body_is_a_validation_error_without_the_iin(api: Api, case: str) -> None:
    r = api.client.post("/api/v1/bookings", json=MALFORMED[case])
    message = assert_error(r, 422, "validation_error")
    assert IIN not in message and IIN not in r.text


@pytest.mark.parametrize("raw", [
    b'{"iin": "900101300017", "service": ',
    b"iin=900101300017",
    b'{"iin": 900101300017x}',
])
def test_bad_json_is_a_validation_error_without_the_iin(api: Api, raw: bytes) -> None:
    for path in ("/api/v1/bookings", "/api/v1/bookings/search"):
        r = api.client.post(path, content=raw, headers={"Content-Type": "application/json"})
        message = assert_error(r, 422, "validation_error")
        assert IIN not in message and IIN not in r.text


def test_malformed_search_and_cancel_bodies(api: Api) -> None:
    for path in ("/api/v1/bookings/search", "/api/v1/bookings/AAAA2222/cancel"):
        assert_error(api.client.post(path, json={}), 422, "validation_error")
        r = api.client.post(path, json={"iin": IIN, "extra": IIN})
        assert IIN not in assert_error(r, 422, "validation_error")


def test_an_iin_sent_as_a_field_name_is_not_echoed(api: Api) -> None:
    r = api.client.post("/api/v1/bookings/search", json={"iin": IIN, IIN: True})
    assert IIN not in assert_error(r, 422, "validation_error")


def test_method_not_allowed_is_translated(api: Api) -> None:
    messages = {lang: assert_error(api.client.delete("/healthz", headers={
        "Accept-Language": lang}), 405, "method_not_allowed") for lang in ("kk", "ru", "en")}
    assert len(set(messages.values())) == 3


def test_messages_follow_accept_language(api: Api) -> None:
    start = at(next_weekday(), 10)
    messages = {lang: assert_error(api.book("900101300019", start,
                                            headers={"Accept-Language": lang}),
                                   422, "invalid_iin")
                for lang in ("kk", "ru", "en")}
    assert len(set(messages.values())) == 3
    assert CYRILLIC.search(messages["ru"]) and not KAZAKH_ONLY.search(messages["ru"])
    assert KAZAKH_ONLY.search(messages["kk"])
    assert messages["en"].isascii() and "IIN" in messages["en"]
    # No header: the default (Russian); q-values and regional tags are honoured.
    assert assert_error(api.book("900101300019", start), 422, "invalid_iin") == messages["ru"]
    for header, lang in (("en;q=0.4, kk;q=0.9", "kk"), ("en-GB,en;q=0.9", "en"),
                         ("ru-KZ", "ru"), ("kz", "kk"), ("de, fr;q=0.8", "ru")):
        got = api.book("900101300019", start, headers={"Accept-Language": header})
        assert assert_error(got, 422, "invalid_iin") == messages[lang], header
    # Validation errors and HTTP errors switch too.
    bad = {lang: assert_error(api.client.post("/api/v1/bookings", json={},
                                              headers={"Accept-Language": lang}),
                              422, "validation_error") for lang in ("kk", "ru", "en")}
    assert len(set(bad.values())) == 3
    missing = {lang: assert_error(api.client.get("/nowhere", headers={"Accept-Language": lang}),
                                  404, "not_found") for lang in ("kk", "ru", "en")}
    assert len(set(missing.values())) == 3


@pytest.mark.parametrize("channel", ["call_centre", "door"])
def test_staff_channel_needs_a_staff_token(api: Api, channel: str) -> None:
    start = at(next_weekday(), 10)
    assert_error(api.book(IIN, start, channel=channel), 401, "unauthorized")
    assert_error(api.book(IIN, start, channel=channel,
                          headers={"Authorization": "Bearer kz_not-a-token"}),
                 401, "unauthorized")
    analyst = api.add_user("ann.analyst", "analyst")
    assert_error(api.book(IIN, start, channel=channel, headers=api.auth(analyst)),
                 403, "forbidden")
    # Door staff act at their own centre (ADR 0015); the call centre serves the network.
    staff = api.add_user("sam.staff", channel,
                         [api.centers["mixed"]] if channel == "door" else None)
    checked = {"identity_checked": True} if channel == "call_centre" else {}
    if checked:  # the operator must record that the caller's identity was checked
        assert_error(api.book(IIN, start, channel=channel, headers=api.auth(staff)),
                     422, "identity_check_required")
    r = api.book(IIN, start, channel=channel, headers=api.auth(staff), **checked)
    assert r.status_code == 201, r.text
    assert r.json()["channel"] == channel
    # The bot's channel is the bot's own: an API client cannot claim it.
    assert_error(api.book(OTHER_IIN, start, channel="bot"), 403, "forbidden")


def test_no_iin_in_the_logs_of_a_booking(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy")  # SQL statements and parameters too
    start = at(next_weekday(), 10)
    assert api.book(IIN, start).status_code == 201
    assert api.book(OTHER_IIN, start, service="99999999").status_code == 404
    assert api.book("900101300019", start).status_code == 422
    assert api.client.post("/api/v1/bookings", json={"iin": IIN},
                          headers=api.person(IIN)).status_code == 422
    assert api.client.post("/api/v1/bookings/search", json={"iin": IIN},
                          headers=api.person(IIN)).status_code == 200
    logged = [r.getMessage() for r in caplog.records]
    assert any("INSERT INTO bookings" in m for m in logged), "SQL logging was not captured"
    assert "90********17" in caplog.text, "SQL parameters were not captured"
    text = caplog.text + "\n".join(logged) + "\n".join(
        str(r.args) for r in caplog.records if r.args)
    for secret in (IIN, OTHER_IIN, "900101300019"):
        assert secret not in text


def test_the_spec_documents_the_error_envelope_names_and_auth(api: Api) -> None:
    """Every error the spec lists is the envelope the API really sends; operation ids are
    `<tag>_<function>` and unique; a bearer scheme is declared."""
    import jsonschema_rs

    spec = api.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "Error" in schemas
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    ids = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ids.append(op["operationId"])
            assert op["operationId"].startswith(op["tags"][0].replace(" ", "_") + "_")
            errors = {s: r for s, r in op["responses"].items() if int(s) >= 400}
            assert {"400", "422", "429", "503"} <= set(errors), (path, method)
            assert ("{" not in path) or "404" in errors, (path, method)
            assert ("requestBody" not in op) or "413" in errors, (path, method)
            for status, response in errors.items():
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (path, status)
            assert "Retry-After" in errors["429"]["headers"]
    assert len(ids) == len(set(ids)) and len(ids) > 80
    assert "booking_get_booking" in ids and "ops_healthz" in ids
    # The answers the spec describes are what the API sends.
    validator = jsonschema_rs.validator_for(schemas["Error"])
    for r in (api.client.post("/api/v1/bookings", json={}),
              api.client.get("/api/v1/centers/0"),
              api.client.post("/api/v1/bookings/ABCD1234", json={"iin": "1"})):
        assert r.status_code >= 400
        validator.validate(r.json())
