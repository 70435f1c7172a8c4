"""Proof of work on the API, on SQLite and PostgreSQL: code requests are free within the
allowance, then need a solved challenge in X-Altcha (428 with the challenge, in the
requester's language); a solution works once, and a tampered, expired or too easy one
is refused; staff pass. Solved here with hashlib, as a client would."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kezek.api.app import create_app
from kezek.api.challenge_deps import challenges_of
from kezek.api.client import throttle_of
from kezek.app.challenge import Challenges
from kezek.core.pow import PowRule
from tests.api.conftest import API_SECRET, Api, assert_error, phone_of, prepare, settings_for
from tests.conftest import random_iin
from tests.pow_client import decode, encode, solve

RULE = PowRule(free_per_address=2, free_per_network=100, base=2000, ceiling=16_000, floor=100)
WORDS = {"kk": "X-Altcha тақырыбында", "ru": "в заголовке X-Altcha",
         "en": "in the X-Altcha header"}


class Client:
    """The app's test client, with the challenges on a small rule (2 free steps)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    @property
    def challenges(self) -> Challenges:
        app = self.client.app
        made: Challenges = app.state.challenges  # type: ignore[attr-defined]
        return made

    def code(self, payload: str | None = None, lang: str | None = None,
             token: str | None = None) -> Any:
        headers = {}
        if payload is not None:
            headers["X-Altcha"] = payload
        if lang:
            headers["Accept-Language"] = lang
        if token:
            headers["Authorization"] = f"Bearer {token}"
        iin = random_iin()
        return self.client.post("/api/v1/identity/code", headers=headers,
                                json={"iin": iin, "phone": phone_of(iin)})

    def use_up_the_free_steps(self) -> None:
        for _ in range(RULE.free_per_address):
            assert self.code().status_code == 201


def small_rule(client: TestClient) -> None:
    request = type("R", (), {"app": client.app})()
    settings = client.app.state.settings  # type: ignore[attr-defined]
    client.app.state.challenges = Challenges(  # type: ignore[attr-defined]
        throttle_of(request), settings.secret_key, RULE)  # type: ignore[arg-type]


@pytest.fixture
def pow_api(db_url: str) -> Iterator[Client]:
    asyncio_run(prepare(db_url))
    with TestClient(create_app(settings_for(db_url))) as client:
        small_rule(client)
        yield Client(client)


def asyncio_run(coro: Any) -> Any:
    import asyncio

    return asyncio.run(coro)


def test_the_challenge_is_what_the_widget_reads(pow_api: Client) -> None:
    r = pow_api.client.get("/api/v1/challenge")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    body = r.json()
    assert set(body) == {"parameters", "signature"}
    p = body["parameters"]
    assert p["algorithm"] == "SHA-256" and p["cost"] == 1 and p["data"]["maxNumber"] == 100
    assert 0 < p["expiresAt"] - time.time() <= RULE.ttl_seconds
    assert {"nonce", "salt", "keyPrefix", "keySignature"} <= set(p)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_above_the_allowance_a_code_needs_a_solved_challenge(pow_api: Client,
                                                             lang: str) -> None:
    pow_api.use_up_the_free_steps()
    r = pow_api.code(lang=lang)
    assert r.status_code == 428, r.text
    body = r.json()
    assert set(body) == {"error", "challenge"}
    assert body["error"]["code"] == "challenge_required"
    assert WORDS[lang] in body["error"]["message"]
    challenge = body["challenge"]
    assert challenge["parameters"]["data"]["maxNumber"] == RULE.base
    solved = pow_api.code(solve(challenge))
    assert solved.status_code == 201, solved.text
    assert solved.json()["channel"] == "dev"


def test_each_further_step_costs_twice_as_much(pow_api: Client) -> None:
    pow_api.use_up_the_free_steps()
    sizes = []
    for _ in range(4):
        challenge = pow_api.code().json()["challenge"]
        sizes.append(challenge["parameters"]["data"]["maxNumber"])
        assert pow_api.code(solve(challenge)).status_code == 201
    assert sizes == [2000, 4000, 8000, 16000]


def test_a_solution_works_once(pow_api: Client) -> None:
    pow_api.use_up_the_free_steps()
    payload = solve(pow_api.code().json()["challenge"])
    assert pow_api.code(payload).status_code == 201
    message = assert_error(pow_api.code(payload, lang="ru"), 403, "challenge_used")
    assert "уже использована" in message


def test_a_tampered_challenge_is_refused(pow_api: Client) -> None:
    pow_api.use_up_the_free_steps()
    body = decode(solve(pow_api.code().json()["challenge"]))
    body["challenge"]["parameters"]["data"]["maxNumber"] = 10**6
    forged = encode(body["challenge"], body["solution"]["counter"],
                    body["solution"]["derivedKey"])
    assert_error(pow_api.code(forged, lang="kk"), 403, "challenge_invalid")
    assert_error(pow_api.code("bm90IGpzb24=", lang="en"), 403, "challenge_invalid")


def test_an_easy_challenge_fetched_early_does_not_pay_for_a_later_step(
        pow_api: Client) -> None:
    early = solve(pow_api.client.get("/api/v1/challenge").json())  # the floor, 100
    pow_api.use_up_the_free_steps()
    assert_error(pow_api.code(early), 403, "challenge_invalid")


def test_an_expired_challenge_is_refused(pow_api: Client) -> None:
    pow_api.use_up_the_free_steps()
    old = pow_api.challenges.make(RULE.base, now=time.time() - RULE.ttl_seconds - 1)
    message = assert_error(pow_api.code(solve(old), lang="ru"), 403, "challenge_expired")
    assert "истёк" in message


def test_a_refused_request_does_not_raise_the_price(pow_api: Client) -> None:
    pow_api.use_up_the_free_steps()
    first = pow_api.code().json()["challenge"]
    for _ in range(3):
        assert pow_api.code().status_code == 428
    assert pow_api.code(solve(first)).status_code == 201


@pytest.mark.parametrize("role", ["door", "call_centre"])
def test_staff_pass_without_a_challenge(pow_api: Client, db_url: str, role: str) -> None:
    staff = Api(pow_api.client, db_url, {}).add_user(f"pow-{role}", role)
    pow_api.use_up_the_free_steps()
    assert pow_api.code().status_code == 428
    for _ in range(2):
        assert pow_api.code(token=staff).status_code == 201


def test_switched_off_by_the_setting(db_url: str) -> None:
    asyncio_run(prepare(db_url))
    with TestClient(create_app(settings_for(db_url, altcha=False))) as client:
        made = challenges_of(type("R", (), {"app": client.app})())  # type: ignore[arg-type]
        assert not made.enabled
        for _ in range(10):
            iin = random_iin()
            r = client.post("/api/v1/identity/code", json={"iin": iin, "phone": phone_of(iin)})
            assert r.status_code == 201, r.text


def test_the_openapi_documents_the_header_and_the_answers(pow_api: Client) -> None:
    spec = pow_api.client.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/identity/code"]["post"]
    assert any(p["name"] == "x-altcha" and p["in"] == "header" for p in op["parameters"])
    assert {"428", "403"} <= set(op["responses"])
    assert "challenge" in spec["paths"]["/api/v1/challenge"]["get"]["description"]


def test_the_key_is_derived_from_the_secret_key(pow_api: Client) -> None:
    """Another deployment's challenges (another secret) are refused here."""
    other = Challenges(pow_api.challenges.throttle, API_SECRET + "-another", RULE)
    pow_api.use_up_the_free_steps()
    assert_error(pow_api.code(solve(other.make(RULE.base))), 403, "challenge_invalid")
