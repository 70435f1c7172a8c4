"""Proof of identity over the API: an IIN alone opens nothing; codes go only to the
registered number, are single use and limited in tries; the state registry and the SMS
gateway are spoken to over real HTTP (local servers that record what they were sent)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from kezek.api.app import create_app
from kezek.api.client import client_address
from kezek.app.throttle import network_of
from kezek.settings import Settings
from tests.api.conftest import Api, assert_error, at, phone_of, prepare, settings_for
from tests.conftest import next_weekday, random_iin
from tests.fake_gateway import Recorder

IIN, OTHER_IIN = "900101300017", "850715400129"


@pytest.fixture
def recorder() -> Iterator[Any]:
    servers: list[Recorder] = []

    def make(answers: dict[str, tuple[int, Any]]) -> Recorder:
        server = Recorder(answers)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield make
    for s in servers:
        s.shutdown()
        s.server_close()


def test_an_iin_alone_opens_nothing(api: Api) -> None:
    start = at(next_weekday(), 10)
    assert api.book(IIN, start).status_code == 201
    for path in ("/api/v1/bookings/search", "/api/v1/bookings/AAAA2222/cancel"):
        assert_error(api.client.post(path, json={"iin": IIN}), 401, "identity_required")
        # A proof for another IIN does not open this one.
        assert_error(api.client.post(path, json={"iin": IIN}, headers=api.person(OTHER_IIN)),
                     403, "identity_mismatch")
    assert_error(api.book(IIN, at(next_weekday(), 11), proof=False), 401,
                 "identity_required")
    forged = {"Authorization": "Bearer kzp." + "x" * 40}
    assert_error(api.client.post("/api/v1/bookings/search", json={"iin": IIN}, headers=forged),
                 401, "identity_required")


def test_the_code_goes_to_the_registered_number_only(api: Api) -> None:
    api.prove(IIN)  # binds phone_of(IIN) on first use
    sent = api.client.post("/api/v1/identity/code", json={"iin": IIN, "phone": "+77015550000"})
    assert sent.status_code == 201
    # An attacker's number is ignored: the code goes to the IIN's own number.
    assert sent.json()["sent_to"] == "+7 701 *** ** " + phone_of(IIN)[-2:]


def test_a_code_is_single_use_and_has_few_tries(api: Api) -> None:
    sent = api.client.post("/api/v1/identity/code",
                           json={"iin": IIN, "phone": phone_of(IIN)}).json()
    code = sent["dev_code"]
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    for left in (4, 3):
        r = api.client.post("/api/v1/identity/verify",
                            json={"challenge": sent["challenge"], "code": wrong},
                            headers={"Accept-Language": "en"})
        assert f"Tries left: {left}" in assert_error(r, 422, "code_invalid")
    ok = api.client.post("/api/v1/identity/verify", json={"challenge": sent["challenge"],
                                                           "code": code})
    assert ok.status_code == 200 and ok.json()["token"].startswith("kzp.")
    again = api.client.post("/api/v1/identity/verify", json={"challenge": sent["challenge"],
                                                              "code": code})
    assert_error(again, 422, "code_expired")
    for _ in range(5):  # a fresh code spent by wrong guesses is dead, right one included
        sent = api.client.post("/api/v1/identity/code", json={"iin": OTHER_IIN,
                                                              "phone": phone_of(OTHER_IIN)})
        if sent.status_code == 201:
            break
    body = sent.json()
    for _ in range(5):
        api.client.post("/api/v1/identity/verify",
                        json={"challenge": body["challenge"],
                              "code": f"{(int(body['dev_code']) + 1) % 1000000:06d}"})
    dead = api.client.post("/api/v1/identity/verify",
                           json={"challenge": body["challenge"], "code": body["dev_code"]})
    assert_error(dead, 422, "code_expired")


def test_first_use_binding_caps_iins_per_number(api: Api) -> None:
    phone = "+77015551234"
    for _ in range(3):
        iin = random_iin()
        sent = api.client.post("/api/v1/identity/code", json={"iin": iin, "phone": phone})
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert api.client.post("/api/v1/identity/verify", json={
            "challenge": body["challenge"], "code": body["dev_code"]}).status_code == 200
    fourth = api.client.post("/api/v1/identity/code", json={"iin": random_iin(),
                                                            "phone": phone})
    assert_error(fourth, 409, "phone_taken")
    assert_error(api.client.post("/api/v1/identity/code", json={"iin": random_iin()}),
                 422, "phone_required")
    assert_error(api.client.post("/api/v1/identity/code",
                                 json={"iin": random_iin(), "phone": "12345"}),
                 422, "invalid_phone")


def test_code_sends_are_throttled_per_iin_with_retry_after(api: Api) -> None:
    iin = random_iin()
    answers = [api.client.post("/api/v1/identity/code",
                               json={"iin": iin, "phone": phone_of(iin)},
                               headers={"Accept-Language": "kk"}) for _ in range(4)]
    assert [r.status_code for r in answers] == [201, 201, 201, 429]
    assert int(answers[-1].headers["Retry-After"]) > 0
    assert "минуттан кейін" in assert_error(answers[-1], 429, "rate_limited")


def test_the_registry_and_the_sms_gateway_over_http(db_url: str, recorder: Any) -> None:
    registry = recorder({IIN: (200, {"phones": ["+7 701 222 33 44"],
                                     "privilege": "pensioner"})})
    gateway = recorder({"*": (202, {"id": "m1"})})
    centers = __import__("asyncio").run(prepare(db_url))
    settings = settings_for(db_url, identity_registry_url=registry.url + "/lookup",
                            identity_registry_token="reg-secret", sms_url=gateway.url + "/sms",
                            sms_token="sms-secret")
    with TestClient(create_app(settings)) as client:
        sent = client.post("/api/v1/identity/code", json={"iin": IIN})
        assert sent.status_code == 201, sent.text
        body = sent.json()
        assert body["dev_code"] is None and body["channel"] == "sms"
        assert body["sent_to"] == "+7 701 *** ** 44"
        assert registry.seen == [("/lookup", "Bearer reg-secret", {"iin": IIN})]
        (path, auth, message), = gateway.seen
        assert (path, auth, message["to"]) == ("/sms", "Bearer sms-secret", "+77012223344")
        code = next(w for w in message["text"].replace(".", " ").split() if w.isdigit()
                    and len(w) == 6)
        proof = client.post("/api/v1/identity/verify",
                            json={"challenge": body["challenge"], "code": code})
        assert proof.status_code == 200
        # The registry does not know this IIN: Kezek binds no number to it.
        unknown = client.post("/api/v1/identity/code", json={"iin": OTHER_IIN,
                                                             "phone": "+77019998877"})
        assert_error(unknown, 422, "no_phone")
        assert len(gateway.seen) == 1
        start = at(next_weekday(), 10)
        booked = client.post("/api/v1/bookings", json={
            "iin": IIN, "service": "01010001", "center": centers["mixed"], "start": start},
            headers={"Authorization": f"Bearer {proof.json()['token']}"})
        assert booked.status_code == 201, booked.text
    gateway.answers["*"] = (500, {})
    with TestClient(create_app(settings)) as client:
        down = client.post("/api/v1/identity/code", json={"iin": IIN})
        assert_error(down, 503, "identity_unavailable")


def test_production_refuses_the_development_sender() -> None:
    with pytest.raises(ValueError, match="KEZEK_SMS_URL"):
        Settings(env="production", secret_key="s" * 40, iin_key="k" * 40)
    Settings(env="production", secret_key="s" * 40, iin_key="k" * 40,
             sms_url="http://127.0.0.1:9/sms")


def _request(peer: str, forwarded: str | None, proxies: list[str]) -> Request:
    app = SimpleNamespace(state=SimpleNamespace(settings=Settings(trusted_proxies=proxies)))
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "headers": headers, "client": (peer, 5000), "app": app})


def test_forwarded_for_is_trusted_only_from_a_configured_proxy() -> None:
    # No proxy configured: the header is anyone's to write, so it is ignored.
    assert client_address(_request("203.0.113.7", "10.0.0.1", [])) == "203.0.113.7"
    # From the proxy: the last hop the proxy saw, not what the client prepended.
    proxied = _request("127.0.0.1", "10.9.9.9, 198.51.100.4", ["127.0.0.0/8"])
    assert client_address(proxied) == "198.51.100.4"
    # A client that is not the proxy cannot claim an address by the header.
    assert client_address(_request("198.51.100.4", "10.0.0.1", ["127.0.0.0/8"])) \
        == "198.51.100.4"
    # Behind two proxies, both trusted: the first address that is not a proxy.
    chain = _request("127.0.0.1", "198.51.100.9, 127.0.0.2", ["127.0.0.0/8"])
    assert client_address(chain) == "198.51.100.9"
    assert network_of("198.51.100.9") == "198.51.100.0/24"
